// Turning the path a user typed into the absolute source path a snapshot records, and back into a path in the mount.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Yesterday;

public static class SnapshotPaths
{
    /// <summary>
    /// The absolute path a file had at snapshot time: relative paths against the current directory; a path inside
    /// the mount (MOUNT/SNAPSHOT/etc/fstab, MOUNT/latest/...) means the path below the snapshot directory.
    /// </summary>
    public static string SourcePath(string typed, string cwd, string mountPoint)
    {
        string full = Path.GetFullPath(typed, cwd);
        if (full.Length > 1) full = full.TrimEnd('/');
        string prefix = mountPoint.TrimEnd('/') + "/";
        if (full.StartsWith(prefix, StringComparison.Ordinal))
        {
            string rest = full[prefix.Length..];
            int slash = rest.IndexOf('/');
            full = slash < 0 ? "/" : rest[slash..];
        }
        return full;
    }

    /// <summary>The snapshot's directory in the mount: its day's name when it is that day's last snapshot, else its own name.</summary>
    public static string DirectoryName(SnapshotRecord snap, IReadOnlyList<SnapshotRecord> all)
    {
        string day = snap.Time.ToString("yyyy-MM-dd");
        bool lastOfDay = !all.Any(s => s.Time.ToString("yyyy-MM-dd") == day && (s.Time > snap.Time || (s.Time == snap.Time && s.Id > snap.Id)));
        return lastOfDay ? day : snap.Name;
    }

    public static string InMount(string mountPoint, SnapshotRecord snap, IReadOnlyList<SnapshotRecord> all, string sourcePath) =>
        mountPoint.TrimEnd('/') + "/" + DirectoryName(snap, all) + (sourcePath == "/" ? "" : sourcePath);

    public static bool IsUnder(string path, string root) =>
        root == "/" || path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}
