// Drops the kernel's copies of what changes when snapshots are taken or forgotten. The kernel caches directory
// listings it opens itself (see SnapshotFileSystem.Init) until told otherwise, so once a second this checks the
// catalog's file and, when it changed, invalidates the root and every .history directory the kernel holds.
// Invalidation must not run inside a FUSE request (libfuse would deadlock), hence a timer thread of its own.
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store.Posix;

namespace TimeTravel.Fs.Mounting;

public sealed class CatalogWatcher : IDisposable
{
    private readonly Timer _timer;

    public CatalogWatcher(SnapshotFileSystem fs, FuseMount mount, Action<string> log, TimeSpan? every = null)
    {
        var period = every ?? TimeSpan.FromSeconds(1);
        DateTime seen = fs.Snapshots.Stamp;
        _timer = new Timer(_ =>
        {
            try
            {
                // Compared with what this watcher saw last, not with Refresh's answer: a lookup of a new name may have
                // re-read the catalog already (SnapshotFileSystem.Lookup), and the kernel's copies must still go.
                fs.Snapshots.Refresh();
                var stamp = fs.Snapshots.Stamp;
                if (stamp == seen) return;
                seen = stamp;
                // The directories whose listings the kernel may not keep (SnapshotFileSystem.OpenDir): the root and .history's.
                foreach (var inode in fs.Inodes.Held)
                    if (inode.AtRoot && inode.Node is { Kind: FileKind.Directory }) mount.InvalidateInode(inode.Number);
            }
            catch (Exception e) { log($"catalog watcher: {e.GetType().Name}: {e.Message}"); }
        }, null, period, period);
    }

    public void Dispose() => _timer.Dispose();
}
