// `yesterday -a FILE`: every distinct version of a file, oldest first, with where it is in the mount.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;

namespace TimeTravel.Yesterday;

public static class HistoryPrinter
{
    public static int Print(Repository repo, IReadOnlyList<SnapshotRecord> all, string path, string mountPoint, TextWriter output, TextWriter errors)
    {
        var versions = FileHistory.Of(repo).Versions(all, PathBytes.FromDisplay(path));
        if (versions.Count == 0)
        {
            errors.WriteLine($"yesterday: {path} is in no snapshot");
            return 1;
        }
        foreach (var v in versions)
        {
            string what = string.Join(",", VersionChanges.Words(v.Changes));
            string where = SnapshotPaths.InMount(mountPoint, v.Snapshot, all, path);
            output.WriteLine(v.Node is { } n
                ? $"{v.Snapshot.Time:yyyy-MM-dd HH:mm:ss}  {n.Size,12}  {n.Uid}:{n.Gid}  {what,-16}  {where}"
                : $"{v.Snapshot.Time:yyyy-MM-dd HH:mm:ss}  {"-",12}  {"-"}  {what,-16}  {where}");
        }
        return 0;
    }
}
