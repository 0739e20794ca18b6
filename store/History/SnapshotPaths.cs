// Turning the path a user typed into the absolute source path a snapshot records, and back into a path in the mount.
// Shared by `yesterday` and `timetravel history`.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.History;

public static class SnapshotPaths
{
    /// <summary>
    /// The absolute path a file had at snapshot time: relative paths against the current directory; a path inside
    /// the mount (MOUNT/SNAPSHOT/etc/fstab, MOUNT/latest/..., MOUNT/.history/etc/fstab) means the path below the
    /// snapshot directory.
    /// </summary>
    public static string SourcePath(string typed, string cwd, string mountPoint)
    {
        string full = PathBytes.Normalize(Path.GetFullPath(typed, cwd));
        string prefix = mountPoint.TrimEnd('/') + "/";
        if (full.StartsWith(prefix, StringComparison.Ordinal))
        {
            string rest = full[prefix.Length..];
            int slash = rest.IndexOf('/');
            full = slash < 0 ? "/" : rest[slash..];
        }
        return full;
    }

    /// <summary>
    /// SourcePath, then, when <paramref name="covers"/> says that is outside the snapshots, the same with its directory
    /// resolved through symlinks if that one is inside (usrmerge: /lib/x is recorded as /usr/lib/x). Otherwise the
    /// literal path, with <paramref name="covered"/> false.
    /// </summary>
    public static string SourcePath(string typed, string cwd, string mountPoint, Func<string, bool> covers, out bool covered)
    {
        string path = SourcePath(typed, cwd, mountPoint);
        covered = covers(path);
        if (covered) return path;
        if (WithRealDirectory(path) is not { } real || !covers(real)) return path;
        covered = true;
        return real;
    }

    /// <summary>
    /// The same path with its directory part resolved through symlinks (realpath), the last name kept as it is:
    /// /lib/x/libc.so.6 is /usr/lib/x/libc.so.6 where /lib links to usr/lib. Null when nothing on the way is a link
    /// or the directory does not exist.
    /// </summary>
    public static string? WithRealDirectory(string full)
    {
        if (full == "/") return null;
        string dir = Path.GetDirectoryName(full) ?? "/", name = Path.GetFileName(full);
        string? real = RealPath(dir);
        if (real is null || real == dir) return null;
        return (real == "/" ? "" : real) + "/" + name;
    }

    /// <summary>realpath(3) of an absolute path: every symlink on the way followed; null when a part is missing.</summary>
    public static string? RealPath(string absolute) =>
        PosixFs.TryRealPath(PathBytes.FromDisplay(absolute), out _) is { } real ? PathBytes.Display(real) : null;

    /// <summary>The snapshot's directory in the mount: its day's name when it is that day's last snapshot, else its own name.</summary>
    public static string DirectoryName(SnapshotStamp snap, IReadOnlyList<SnapshotStamp> all)
    {
        string day = snap.Time.ToString("yyyy-MM-dd");
        bool lastOfDay = !all.Any(s => s.Time.ToString("yyyy-MM-dd") == day && (s.Time > snap.Time || (s.Time == snap.Time && s.Id > snap.Id)));
        return lastOfDay ? day : snap.Name;
    }

    /// <summary>MOUNT/DIRECTORY/path: DIRECTORY is a snapshot's name, or (from DirectoryName) its day's name.</summary>
    public static string InMount(string mountPoint, string directory, string sourcePath) =>
        mountPoint.TrimEnd('/') + "/" + directory + (sourcePath == "/" ? "" : sourcePath);

    public static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}
