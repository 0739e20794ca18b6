// Turning the path a user typed into the absolute source path a snapshot records, and back into a path in the mount.
// Shared by `yesterday` and `timetravel history`.
using System.Text;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.History;

public static class SnapshotPaths
{
    /// <summary>
    /// The absolute path a file had at snapshot time: relative paths against the current directory (by name, as
    /// PathArgument.Absolute); a path inside the mount (MOUNT/SNAPSHOT/etc/fstab, MOUNT/latest/...,
    /// MOUNT/.history/etc/fstab) means the path below the snapshot directory.
    /// </summary>
    public static byte[] SourcePath(byte[] typed, byte[] cwd, string mountPoint)
    {
        byte[] full = PathArgument.Absolute(typed, cwd);
        byte[] mount = PathArgument.Absolute(PathBytes.From(mountPoint), "/"u8.ToArray());
        if (mount.Length > 1 && PathBytes.IsWithin(full, mount) && full.Length > mount.Length)
        {
            var rest = full.AsSpan(mount.Length + 1);
            int slash = rest.IndexOf((byte)'/');
            full = slash < 0 ? "/"u8.ToArray() : rest[slash..].ToArray();
        }
        return full;
    }

    /// <summary>
    /// For a mount that shows hosts (MOUNT/HOST/SNAPSHOT/...): SourcePath of a path typed inside a host's directory,
    /// which holds the snapshots there; other paths as SourcePath reads them.
    /// </summary>
    public static byte[] SourcePathInHosts(byte[] typed, byte[] cwd, string mountPoint)
    {
        byte[] full = PathArgument.Absolute(typed, cwd);
        byte[] mount = PathArgument.Absolute(PathBytes.From(mountPoint), "/"u8.ToArray());
        if (mount.Length <= 1 || !PathBytes.IsWithin(full, mount) || full.Length <= mount.Length) return SourcePath(typed, cwd, mountPoint);
        var rest = full.AsSpan(mount.Length + 1);
        int slash = rest.IndexOf((byte)'/');
        if (slash < 0) return "/"u8.ToArray();
        return SourcePath(full, cwd, PathBytes.Display([.. mount, (byte)'/', .. rest[..slash]]));
    }

    public static string SourcePath(string typed, string cwd, string mountPoint) =>
        Encoding.UTF8.GetString(SourcePath(PathBytes.From(typed), PathBytes.From(cwd), mountPoint));

    /// <summary>
    /// SourcePath, then, when <paramref name="covers"/> says that is outside the snapshots, the same with its directory
    /// resolved through symlinks if that one is inside (usrmerge: /lib/x is recorded as /usr/lib/x). Otherwise the
    /// literal path, with <paramref name="covered"/> false.
    /// </summary>
    public static byte[] SourcePath(byte[] typed, byte[] cwd, string mountPoint, Func<byte[], bool> covers, out bool covered)
    {
        byte[] path = SourcePath(typed, cwd, mountPoint);
        covered = covers(path);
        if (covered) return path;
        if (WithRealDirectory(path) is not { } real || !covers(real)) return path;
        covered = true;
        return real;
    }

    public static string SourcePath(string typed, string cwd, string mountPoint, Func<string, bool> covers, out bool covered) =>
        Encoding.UTF8.GetString(SourcePath(PathBytes.From(typed), PathBytes.From(cwd), mountPoint, p => covers(Encoding.UTF8.GetString(p)), out covered));

    /// <summary>
    /// The same path with its directory part resolved through symlinks (realpath), the last name kept as it is:
    /// /lib/x/libc.so.6 is /usr/lib/x/libc.so.6 where /lib links to usr/lib. Null when nothing on the way is a link
    /// or the directory does not exist.
    /// </summary>
    public static byte[]? WithRealDirectory(byte[] full)
    {
        int slash = full.AsSpan().LastIndexOf((byte)'/');
        if (full.Length <= 1 || slash < 0) return null;
        byte[] dir = slash == 0 ? "/"u8.ToArray() : full[..slash];
        if (PosixFs.TryRealPath(dir, out _) is not { } real || real.AsSpan().SequenceEqual(dir)) return null;
        return PathBytes.Join(real, full.AsSpan(slash + 1));
    }

    public static string? WithRealDirectory(string full) =>
        WithRealDirectory(PathBytes.From(full)) is { } real ? Encoding.UTF8.GetString(real) : null;

    /// <summary>realpath(3) of an absolute path: every symlink on the way followed; null when a part is missing.</summary>
    public static string? RealPath(string absolute) =>
        PosixFs.TryRealPath(PathBytes.FromDisplay(absolute), out _) is { } real ? PathBytes.Display(real) : null;

    /// <summary>The snapshot's directory in the mount: its day's name when it is that day's last snapshot, else its own name.</summary>
    public static string DirectoryName(SnapshotStamp snap, IReadOnlyList<SnapshotStamp> all)
    {
        var lastOfDay = SnapshotStamp.Ordered(all.Where(s => s.Day == snap.Day)).LastOrDefault();
        return lastOfDay?.Name == snap.Name ? SnapshotNames.DayName(snap.Day) : snap.Name;
    }

    /// <summary>
    /// A version named when the store is not mounted, so that it has no path: SNAPSHOT:PATH, plainly not a path (the
    /// snapshot and path `timetravel cat` takes).
    /// </summary>
    public static byte[] Label(string snapshotName, byte[] sourcePath) => [.. PathBytes.From(snapshotName + ":"), .. sourcePath];

    /// <summary>MOUNT/DIRECTORY/path: DIRECTORY is a snapshot's name, or (from DirectoryName) its day's name.</summary>
    public static string InMount(string mountPoint, string directory, string sourcePath) =>
        mountPoint.TrimEnd('/') + "/" + directory + (sourcePath == "/" ? "" : sourcePath);

    /// <summary>MOUNT/DIRECTORY/path, in bytes.</summary>
    public static byte[] InMount(string mountPoint, string directory, byte[] sourcePath)
    {
        byte[] dir = PathBytes.From(mountPoint.TrimEnd('/') + "/" + directory);
        return sourcePath is [(byte)'/'] ? dir : [.. dir, .. sourcePath];
    }

    public static bool IsUnder(byte[] path, string root) => PathBytes.IsWithin(path, PathBytes.From(root));

    public static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}
