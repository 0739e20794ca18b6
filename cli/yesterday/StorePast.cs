// The past as the store records it: the catalog's snapshots of one host (the store's own unless --host names another)
// and each snapshot's tree.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Naming;
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

    public StorePast(Repository repo, string? host = null)
    {
        _repo = repo;
        var all = repo.Catalog.Snapshots();
        string own = repo.HostName;
        string chosen = host is null ? own : HostNames.Check(host, "--host");
        if (chosen != own && !all.Any(s => s.Host == chosen))
            throw new StoreException($"--host {chosen}: no snapshot of that host in {repo.Layout.Root}; its hosts are {string.Join(", ", HostNames.All(all, own))}");
        _records = HostNames.OfHost(all, chosen, own).ToList();
        _byName = _records.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Zone = StoreZone.Of(repo);
        Snapshots = SnapshotStamp.Ordered(_records.Select(r => SnapshotStamp.Of(r, Zone)));
        (MountPoint, Mounted) = MountLocator.Find(repo.Layout.Root);
        SnapshotsDirectory = HostNames.MountDirectory(MountPoint, chosen, HostNames.Many(all));
        Source = new StoreTreeSource(repo.Trees);
        if (chosen != own)
        {
            // Another host's sources and excludes are its own: what its snapshots cover is what they say they back up,
            // and -c merges (what that host would have recorded is not known here).
            Sources = _records.SelectMany(r => r.Sources).Distinct().Order(StringComparer.Ordinal).ToList();
            WouldRecord = null;
            return;
        }
        var sources = repo.Catalog.Sources();
        Sources = sources.Select(s => s.Path).ToList();
        // Exclude rules compile their patterns: only -c and -C ask, so they are built on the first question.
        var walk = new Lazy<List<(byte[] Root, ExcludeRules Rules)>>(() =>
            sources.Select(s => (PathBytes.From(s.Path), new ExcludeRules(s.Excludes, [repo.Layout.Root]))).ToList());
        WouldRecord = (path, name) => SourceWalk.WouldRecord(walk.Value, path, name);
    }

    public override string MountPoint { get; }
    public override string SnapshotsDirectory { get; }
    public override bool Mounted { get; }
    public override string? NotMounted => Mounted ? null : MountLocator.NotMounted(_repo.Layout.Root);
    public override IReadOnlyList<SnapshotStamp> Snapshots { get; }
    public override TimeZoneInfo Zone { get; }
    public override IReadOnlyList<string> Sources { get; }
    public override IRestoreSource Source { get; }
    public override Func<byte[], byte[], bool>? WouldRecord { get; }

    public override bool Covers(byte[] path) => Sources.Any(s => SnapshotPaths.IsUnder(path, s));

    public override bool InSomeSnapshot(byte[] path)
    {
        var parts = PathBytes.Components(path);
        return _records.Any(r => _repo.Trees.Resolve(r.Root, parts) is not null);
    }

    public override Node? Find(SnapshotStamp snap, byte[] path) =>
        _repo.Trees.Resolve(_byName[snap.Name].Root, PathBytes.Components(path));

    public override int History(byte[] path, TextWriter output, TextWriter errors)
    {
        var versions = FileHistory.Of(_repo).Versions(_records, path);
        if (versions.Count == 0)
        {
            errors.WriteLine($"yesterday: {PathBytes.Quoted(path)} is in no snapshot");
            return 1;
        }
        foreach (var v in versions)
        {
            var stamp = SnapshotStamp.Of(v.Snapshot, Zone);
            HistoryLine.Write(output, stamp, v.Node is { } n ? (n.Size, n.Uid, n.Gid) : null,
                VersionChanges.Words(v.Changes), v.Node is null ? null : PathBytes.Quoted(InMount(stamp, path)));
        }
        return 0;
    }

    public override void Dispose() => _repo.Dispose();
}
