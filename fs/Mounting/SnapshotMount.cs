// Mounting a store: the checks that must pass before anything is mounted, the options, and the serving loop.
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Mounting;

public static class SnapshotMount
{
    public const string DefaultMountPoint = "/backup/.snapshot";
    public const int ReadAheadKilobytes = 1024; // 1 MiB requests on sequential reads instead of 128 KiB

    /// <summary>Throws StoreException with a clear message when the mount cannot work; nothing is mounted yet. Returns the full mount point.</summary>
    public static string Check(string store, string mountPoint)
    {
        string mp = CheckMountPoint(mountPoint);
        using (OpenStore(store)) { }
        return mp;
    }

    /// <summary>The mount point part of Check: nothing mounted there (dead or alive), a directory, /dev/fuse.</summary>
    public static string CheckMountPoint(string mountPoint)
    {
        string mp = Path.GetFullPath(mountPoint);
        if (mp.Length > 1) mp = mp.TrimEnd('/');
        // Mounts first: every stat of a dead FUSE mount fails, so it would look like a missing directory.
        if (MountInfo.IsMountPoint(mp))
        {
            if (Libc.statvfs(mp, out _) != 0 && Errno.Last == Errno.ENOTCONN)
                throw new StoreException($"{mp}: a dead mount is left there (its daemon is gone); run `timetravel umount {mp}` first");
            throw new StoreException($"{mp}: something is already mounted there (`timetravel umount {mp}` first)");
        }
        if (!Directory.Exists(mp))
        {
            if (Path.Exists(mp)) throw new StoreException($"{mp}: the mount point is not a directory");
            throw new StoreException($"{mp}: mount point does not exist (create it with `mkdir -p {mp}`)");
        }
        if (!File.Exists("/dev/fuse")) throw new StoreException("/dev/fuse is missing: load the fuse module (`modprobe fuse`)");
        return mp;
    }

    /// <summary>A store opened for the mount, with its snapshot list as read once and the catalog's mtime before that.</summary>
    public sealed record OpenedStore(Repository Repository, IReadOnlyList<SnapshotRecord> Snapshots, DateTime CatalogStamp) : IDisposable
    {
        public void Dispose() => Repository.Dispose();
    }

    /// <summary>Opens the store and reads its snapshot list once, as the mount will: a missing, damaged, newer or
    /// unreadable store or catalog fails here, with the file named, instead of as EIO in the mounted root.</summary>
    public static OpenedStore OpenStore(string store)
    {
        var layout = new StoreLayout(store);
        // A missing, empty or foreign catalog is refused by StoreCatalog itself; a directory there would read as missing.
        if (File.Exists(layout.Config) && Directory.Exists(layout.Catalog))
            throw new StoreException($"{layout.Catalog}: the catalog is a directory, not a file; the store is damaged");
        Repository? repo = null;
        try
        {
            repo = Repository.OpenReader(store);
            var stamp = File.GetLastWriteTimeUtc(layout.Catalog);
            return new OpenedStore(repo, repo.Catalog.Snapshots(), stamp);
        }
        catch when (Dispose(repo)) { throw; }
        // StoreException and StoreFormatException already name the file (no such store, damaged catalog, newer format).
        catch (Exception e) when (e is not (StoreException or StoreFormatException))
        {
            // LiteDB fails on random bytes with whatever exception its decoding meets first.
            string what = e is IOException or UnauthorizedAccessException ? e.Message : $"the catalog is damaged ({e.GetType().Name}: {e.Message})";
            throw new StoreException($"{layout.Catalog}: cannot read the snapshot list: {what}", e);
        }
    }

    private static bool Dispose(Repository? repo) { repo?.Dispose(); return false; } // an exception filter: never catches

    /// <summary>The store as the mount's source (fsname): its canonical path, so that mount(8) and findmnt(8) match
    /// it to the fstab line `STORE MOUNTPOINT timetravel ...` (mount -a then sees it as already mounted).</summary>
    public static string Source(string store)
    {
        string full = Path.GetFullPath(store);
        return SnapshotPaths.RealPath(full) ?? full;
    }

    /// <summary>ro, default_permissions and auto_unmount always; allow_other when root, so every user sees what they could see then.</summary>
    public static FuseMountOptions Options(string store, Action<string> log) => new()
    {
        ReadOnly = true,
        DefaultPermissions = true, // the kernel checks the recorded owners and modes (and ACLs: FUSE_CAP_POSIX_ACL)
        AllowOther = Environment.IsPrivilegedProcess,
        AutoUnmount = true,        // a killed daemon leaves no dead mount behind
        FsName = Source(store),
        Subtype = "timetravel",    // type fuse.timetravel in mountinfo
        MaxThreads = 16,
        ReadAheadKilobytes = ReadAheadKilobytes,
        OnCallbackError = (what, e) => log($"{what}: {e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Mounts and serves until unmounted or signalled (SIGTERM, SIGINT); returns the loop's result.</summary>
    public static int Serve(string store, string mountPoint, Action<string> log)
    {
        string mp = CheckMountPoint(mountPoint);
        using var opened = OpenStore(store);
        var fs = new SnapshotFileSystem(opened.Repository, log);
        fs.Snapshots.Prime(opened.Snapshots, opened.CatalogStamp); // the first ls need not read the catalog again
        using var mount = FuseMount.Mount(fs, mp, Options(store, log));
        using var signals = mount.UnmountOnSignals();
        using var trimmer = new MemoryTrimmer(fs.Inodes);
        using var watcher = new CatalogWatcher(fs, mount, log);
        return mount.Wait();
    }
}
