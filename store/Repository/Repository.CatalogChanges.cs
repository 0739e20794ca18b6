// Every change to what the catalog says about the store goes through here, never to the catalog directly: a new
// snapshot, a forget, a pin, a source, a recorded setting. This is the one place that keeps the catalog and the
// records in the arenas (from which `timetravel catalog rebuild` remakes it) saying the same thing.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store;

public sealed partial class Repository
{
    /// <summary>Records a snapshot whose blocks are all committed; this is what makes it exist. Returns its id.</summary>
    public long CommitSnapshot(SnapshotRecord record) => Catalog.AddSnapshot(record);

    /// <summary>Forgets these snapshots, all or none. Their blocks stay until `timetravel gc`.</summary>
    public void Forget(IReadOnlyCollection<SnapshotRecord> snapshots) => Catalog.ForgetSnapshots(snapshots.Select(s => s.Id).ToList());

    public void Pin(SnapshotRecord snapshot, string? note) => Catalog.SetPin(snapshot.Id, new PinInfo(DateTimeOffset.Now, note));

    public void Unpin(SnapshotRecord snapshot) => Catalog.SetPin(snapshot.Id, null);

    public void AddSource(SourceRecord source) => Catalog.AddSource(source);

    /// <summary>A setting that is part of the store's record (its zone, its retention policy).</summary>
    public void SetRecordedSetting(string key, string value) => Catalog.SetSetting(key, value);
}
