// Every change to what the catalog says about the store goes through here, never to the catalog directly: a new
// snapshot, a forget, a pin, a source, a recorded setting. This is the one place that keeps the catalog and the
// records in the arenas (from which `timetravel catalog rebuild` remakes it) saying the same thing. The order of
// writes, for each change: reserve the record's sequence number (and a snapshot's id) in the catalog, put the record
// block and commit the blocks (durable, indexed), then change the catalog, noting the record's score for gc. A writer
// that dies in between leaves a record whose change the catalog lacks: a rebuild applies it (the user asked for it).
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store;

public sealed partial class Repository
{
    /// <summary>A store of format 4 or later keeps its catalog's records in the arenas; a format 1 store stays as it was made.</summary>
    public bool KeepsCatalogRecords => Config.Version >= StoreConfig.FirstCatalogRecordsVersion;

    /// <summary>Records a snapshot whose blocks are all committed; this is what makes it exist. Returns its id (never used before).</summary>
    public long CommitSnapshot(SnapshotRecord record)
    {
        if (record.Host is not null) throw new StoreException($"snapshot {record.Name}: a snapshot taken here is the own host's (another host's is imported)");
        if (!KeepsCatalogRecords) return Catalog.AddSnapshot(record with { Id = 0 });
        var (sequence, id) = Catalog.ReserveRecords(snapshotId: true);
        var snapshot = record with { Id = id };
        var score = PutRecord(new SnapshotCommitted(snapshot) { Sequence = sequence });
        return Catalog.AddSnapshot(snapshot, score);
    }

    /// <summary>Forgets these snapshots, all or none. Their blocks stay until `timetravel gc`.</summary>
    public void Forget(IReadOnlyCollection<SnapshotRecord> snapshots)
    {
        foreach (var s in snapshots) RequireOwn(s, "forget");
        var ids = snapshots.Select(s => s.Id).ToList();
        if (!KeepsCatalogRecords) { Catalog.ForgetSnapshots(ids); return; }
        var forgotten = snapshots.Select(s => new ForgottenSnapshot(s.Id, Catalog.SnapshotRecordScore(s.Id) ?? Score.Zero)).ToList();
        var (sequence, _) = Catalog.ReserveRecords();
        var score = PutRecord(new SnapshotsForgotten(DateTimeOffset.Now, forgotten) { Sequence = sequence });
        Catalog.ForgetSnapshots(ids, score, forgotten.Select(f => f.Record).ToList());
    }

    public void Pin(SnapshotRecord snapshot, string? note) => SetPin(snapshot, note, pinned: true);

    public void Unpin(SnapshotRecord snapshot) => SetPin(snapshot, null, pinned: false);

    private void SetPin(SnapshotRecord snapshot, string? note, bool pinned)
    {
        RequireOwn(snapshot, pinned ? "pin" : "unpin");
        var time = DateTimeOffset.Now;
        var pin = pinned ? new PinInfo(time, note) : null;
        if (!KeepsCatalogRecords) { Catalog.SetPin(snapshot.Id, pin); return; }
        var (sequence, _) = Catalog.ReserveRecords();
        var record = Catalog.SnapshotRecordScore(snapshot.Id) ?? Score.Zero;
        var score = PutRecord(new PinChanged(snapshot.Id, record, time, pin) { Sequence = sequence });
        Catalog.SetPin(snapshot.Id, pin, score);
    }

    public void AddSource(SourceRecord source)
    {
        if (!KeepsCatalogRecords) { Catalog.AddSource(source); return; }
        var sources = Catalog.Sources().Where(s => s.Path != source.Path).Append(source).OrderBy(s => s.Path, StringComparer.Ordinal).ToList();
        Catalog.AddSource(source, PutSettingsRecord(sources, RecordedSettings()));
    }

    /// <summary>A setting that is part of the store's record (its zone, its retention policy).</summary>
    public void SetRecordedSetting(string key, string value)
    {
        if (!KeepsCatalogRecords) { Catalog.SetRecordedSetting(key, value, null); return; }
        var settings = RecordedSettings().Where(kv => kv.Key != key).Append(KeyValuePair.Create(key, value)).ToList();
        Catalog.SetRecordedSetting(key, value, PutSettingsRecord(Catalog.Sources(), settings));
    }

    /// <summary>
    /// The catalog-record blocks gc must keep (see StoreCatalog.LiveRecordScores); `indexed` says whether a block is
    /// still in the index gc is building on.
    /// </summary>
    public IReadOnlyList<Score> LiveRecordScores(Func<Score, bool> indexed) => Catalog.LiveRecordScores(indexed);

    private List<KeyValuePair<string, string>> RecordedSettings() =>
        Catalog.RecordedSettingKeys().Select(k => (k, v: Catalog.Setting(k))).Where(x => x.v is not null)
            .Select(x => KeyValuePair.Create(x.k, x.v!)).ToList();

    private Score PutSettingsRecord(IReadOnlyList<SourceRecord> sources, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var (sequence, _) = Catalog.ReserveRecords();
        return PutRecord(new SettingsRecorded(sources, settings) { Sequence = sequence });
    }

    // The record as a block of its own type with a fresh nonce, durable and indexed before the catalog changes.
    private Score PutRecord(CatalogRecord record)
    {
        var score = PutRecordUncommitted(record);
        Blocks.Commit();
        return score;
    }

    private Score PutRecordUncommitted(CatalogRecord record) =>
        Blocks.Put(CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(record)), BlockType.CatalogRecord);

    /// <summary>
    /// Once per catalog, for a store whose snapshots were taken before records were kept: writes the record of every
    /// snapshot that has none (its pin inside) and a settings record, so the store can be rebuilt from its arenas.
    /// Snapshots forgotten before then left no trace to record and need none.
    /// </summary>
    private void WriteMissingRecords()
    {
        if (!KeepsCatalogRecords || Catalog.Setting(StoreCatalog.RecordsComplete) is not null) return;
        var missing = Catalog.SnapshotsWithoutRecord().ToHashSet();
        var snapshots = Catalog.ReadSnapshots().Good.Where(s => missing.Contains(s.Id)).OrderBy(s => s.Id).ToList();
        bool settings = Catalog.Setting(StoreCatalog.SettingsRecord) is null
            && (Catalog.Sources().Count > 0 || RecordedSettings().Count > 0);
        int count = snapshots.Count + (settings ? 1 : 0);
        if (count > 0)
        {
            var (sequence, _) = Catalog.ReserveRecords(count);
            Score? settingsScore = settings ? PutRecordUncommitted(new SettingsRecorded(Catalog.Sources(), RecordedSettings()) { Sequence = sequence++ }) : null;
            var scores = new Dictionary<long, Score>();
            foreach (var s in snapshots) scores[s.Id] = PutRecordUncommitted(new SnapshotCommitted(s) { Sequence = sequence++ });
            Blocks.Commit();
            if (scores.Count > 0) Catalog.SetSnapshotRecords(scores);
            if (settingsScore is { } st) Catalog.SetSettingsRecord(st);
        }
        Catalog.SetSetting(StoreCatalog.RecordsComplete, $"{DateTimeOffset.Now:O}{(count > 0 ? $" ({snapshots.Count} snapshots recorded afterwards)" : "")}");
    }

    /// <summary>
    /// For a new catalog started over old blocks (`init --new-catalog`): its record numbers and snapshot ids continue
    /// after those of the records already in the arenas, so a later `catalog rebuild` replays old and new in order.
    /// </summary>
    internal void ContinueAfterOldRecords()
    {
        long sequence = 0, id = 0;
        foreach (var f in CatalogRecordScan.Records(Layout, _ => { }))
        {
            sequence = Math.Max(sequence, f.Record.Sequence);
            if (f.Record is SnapshotCommitted s) id = Math.Max(id, s.Snapshot.Id);
            if (f.Record is SnapshotsForgotten fg) id = Math.Max(id, fg.Snapshots.Select(x => x.Id).DefaultIfEmpty(0).Max());
        }
        if (sequence > 0) Catalog.SetSetting(StoreCatalog.LastRecordSequence, sequence.ToString());
        if (id > 0) Catalog.SetSetting(StoreCatalog.LastSnapshotId, id.ToString());
    }
}
