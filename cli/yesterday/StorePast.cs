// The past as the store records it: the catalog's snapshots and each snapshot's tree.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;

namespace TimeTravel.Yesterday;

public sealed class StorePast : Past
{
    private readonly Repository _repo;
    private readonly List<SnapshotRecord> _records;
    private readonly Dictionary<string, SnapshotRecord> _byName;

    public StorePast(Repository repo)
    {
        _repo = repo;
        _records = repo.Catalog.Snapshots();
        _byName = _records.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Snapshots = _records.Select(SnapshotStamp.Of).ToList();
        var sources = repo.Catalog.Sources();
        Sources = sources.Select(s => s.Path).ToList();
        (MountPoint, Mounted) = MountLocator.Find(repo.Layout.Root);
        Source = new StoreTreeSource(repo.Trees);
        // Exclude rules compile their patterns: only -c and -C ask, so they are built on the first question.
        var walk = new Lazy<List<(byte[] Root, ExcludeRules Rules)>>(() =>
            sources.Select(s => (PathBytes.From(s.Path), new ExcludeRules(s.Excludes, [repo.Layout.Root]))).ToList());
        WouldRecord = (path, name) => SourceWalk.WouldRecord(walk.Value, path, name);
    }

    public override string MountPoint { get; }
    public override bool Mounted { get; }
    public override IReadOnlyList<SnapshotStamp> Snapshots { get; }
    public override IReadOnlyList<string> Sources { get; }
    public override IRestoreSource Source { get; }
    public override Func<byte[], byte[], bool> WouldRecord { get; }

    public override bool Covers(string path) => Sources.Any(s => SnapshotPaths.IsUnder(path, s));

    public override Node? Find(SnapshotStamp snap, string path) =>
        _repo.Trees.Resolve(_byName[snap.Name].Root, PathBytes.Components(PathBytes.FromDisplay(path)));

    public override int History(string path, TextWriter output, TextWriter errors)
    {
        var versions = FileHistory.Of(_repo).Versions(_records, PathBytes.FromDisplay(path));
        if (versions.Count == 0)
        {
            errors.WriteLine($"yesterday: {path} is in no snapshot");
            return 1;
        }
        foreach (var v in versions)
        {
            var stamp = SnapshotStamp.Of(v.Snapshot);
            HistoryLine.Write(output, stamp, v.Node is { } n ? (n.Size, n.Uid, n.Gid) : null,
                VersionChanges.Words(v.Changes), v.Node is null ? null : InMount(stamp, path));
        }
        return 0;
    }

    public override void Dispose() => _repo.Dispose();
}
