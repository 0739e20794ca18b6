// Turns a directory file handle from an event into the directory's current path, caching within one batch.
//
// A handle that no longer opens (ESTALE/ENOENT, or a directory whose link count is 0) names a directory that has been
// deleted. Dropping events under it is safe: with a filesystem-wide mark the deletion of that directory (or of its
// topmost deleted ancestor) is itself reported as a DELETE in a parent that still exists, and anything that was moved
// out of it first was reported as a rename into a live directory. Any other failure is not safe and is reported as
// incomplete. Paths are read when the event is processed, not when it happened; a later rename of an ancestor is
// covered because renames report both the old and the new path.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Tracking;

internal sealed class HandleResolver
{
    private readonly Dictionary<string, Outcome> _cache = [];
    private readonly Dictionary<string, long> _links = [];

    /// <param name="Directory">The current path; null with no failure means the object is gone.</param>
    internal readonly record struct Outcome(byte[]? Directory, string? Failure);

    public Outcome Resolve(WatchedFilesystem fs, byte[] handle)
    {
        string key = Key(fs, handle);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var outcome = ResolveUncached(fs, handle);
        _cache[key] = outcome;
        return outcome;
    }

    /// <summary>
    /// The link count of the object behind a (child) handle, 0 when it is gone, -1 when it cannot be told; cached
    /// for the batch, so a file written a thousand times between two drains costs one open_by_handle_at.
    /// </summary>
    public long LinkCount(WatchedFilesystem fs, byte[] handle)
    {
        string key = Key(fs, handle);
        if (_links.TryGetValue(key, out long cached)) return cached;
        long links = -1;
        foreach (var mountFd in fs.MountFds.Values)
        {
            links = FileHandles.LinkCount(mountFd, handle, out _);
            if (links >= 0) break;
        }
        _links[key] = links;
        return links;
    }

    private static string Key(WatchedFilesystem fs, byte[] handle) => fs.FsId.ToString("x") + ":" + Convert.ToHexString(handle);

    private static Outcome ResolveUncached(WatchedFilesystem fs, byte[] handle)
    {
        Outcome last = default;
        foreach (var mountFd in fs.MountFds.Values)
        {
            var path = FileHandles.Resolve(mountFd, handle, out int errno);
            if (path is null)
            {
                if (errno is Errno.ESTALE or Errno.ENOENT) return new Outcome(null, null);
                return new Outcome(null, "cannot resolve a directory handle from fanotify: " + Errno.Describe(errno));
            }
            last = new Outcome(path, null);
            if (fs.Sources.Any(s => PathBytes.IsWithin(path, s.Bytes) || PathBytes.IsWithin(s.Bytes, path))) return last;
        }
        return last;
    }
}
