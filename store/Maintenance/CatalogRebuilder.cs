// Remakes catalog.db from the catalog records in the arenas alone (Venti's principle: the arenas are the truth).
// Replays the records by sequence number: every snapshot minus the forgotten ones, the latest pin of each, the latest
// settings (sources, zone, retention policy, ...). The new catalog is written beside the old one and switched in by a
// rename; the old file, damaged or not, is kept beside it, never deleted.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Maintenance;

public sealed record CatalogRebuildResult(
    IReadOnlyList<SnapshotRecord> Snapshots, int Forgotten, int Records, long LastSequence,
    IReadOnlyList<string> LeftOut, IReadOnlyList<string> Problems, string? OldCatalogKeptAs);

public static class CatalogRebuilder
{
    /// <summary>
    /// The caller holds the writer lock. Refuses (StoreException) when catalog.db is there and readable, unless
    /// `force`; refuses when the arenas hold no catalog record at all (a store made before records were kept).
    /// </summary>
    public static CatalogRebuildResult Rebuild(StoreLayout layout, bool force, Action<string>? report = null, WorkProgress? progress = null)
    {
        bool readable = CatalogReadable(layout, out string? why);
        if (readable && !force)
            throw new StoreException($"{layout.Catalog}: the catalog is there and readable; `timetravel catalog rebuild --force` replaces " +
                "it with one made from the arenas (it is kept beside as catalog.db.replaced-TIME)");
        var problems = new List<string>();
        void Problem(string p) { problems.Add(p); report?.Invoke(p); }

        // Every record once (a crash or gc can leave a block stored twice), in the order the writer made them.
        var records = new Dictionary<Score, FoundRecord>();
        foreach (var f in CatalogRecordScan.Records(layout, Problem, progress)) records.TryAdd(f.Score, f);
        if (records.Count == 0)
            throw new StoreException($"{layout.Arenas}: the arenas hold no catalog record (the store's snapshots were all taken by a " +
                "timetravel older than catalog records, or the store is format 1); nothing to rebuild from. Put back a copy of catalog.db, " +
                "or start an empty catalog over the old blocks with `timetravel init --new-catalog`");
        var replay = Replay(records.Values.OrderBy(f => f.Record.Sequence).ThenBy(f => f.Score).ToList(), Problem);

        // A snapshot whose root directory block is not indexed cannot be read: say so and leave it out.
        var leftOut = new List<string>();
        var kept = new List<Restored>();
        using (var index = new BlockIndex(layout.Index))
            foreach (var r in replay.Snapshots.Values.OrderBy(r => r.Snapshot.Id))
            {
                var root = r.Snapshot.Root.Content;
                if (root.IsEmpty || index.Contains(root.Root)) { kept.Add(r); continue; }
                leftOut.Add($"snapshot {r.Snapshot.Name} (id {r.Snapshot.Id}): its root directory block {root.Root.Short} is not in the index " +
                    "(left out; `timetravel index rebuild` first if the index was damaged too)");
                report?.Invoke(leftOut[^1]);
            }

        string fresh = Path.Combine(layout.Root, "catalog.rebuild.db");
        RemoveCatalogFiles(fresh);
        using (var catalog = StoreCatalog.Open(fresh, readOnly: false, create: true))
        {
            if (replay.Settings is { } st)
            {
                foreach (var (key, value) in st.Record.Settings) catalog.SetRecordedSetting(key, value, st.Score);
                foreach (var source in st.Record.Sources) catalog.AddSource(source, st.Score);
                catalog.SetSettingsRecord(st.Score);
            }
            foreach (var r in kept)
            {
                catalog.AddSnapshot(r.Snapshot, r.Score);
                if (r.Snapshot.Pin is not null || r.PinRecord is not null) catalog.SetPin(r.Snapshot.Id, r.Snapshot.Pin, r.PinRecord);
            }
            foreach (var (score, targets) in replay.Forgets) catalog.AddForgetRecord(score, targets);
            catalog.SetSetting(StoreCatalog.LastRecordSequence, replay.LastSequence.ToString());
            catalog.SetSetting(StoreCatalog.LastSnapshotId, replay.LastId.ToString());
            if (replay.Forgotten > 0) catalog.SetSetting(StoreCatalog.ForgottenSnapshots, replay.Forgotten.ToString());
            catalog.SetSetting(StoreCatalog.FirstWriter, $"{DateTimeOffset.Now:O} timetravel catalog rebuild");
            catalog.SetSetting(StoreCatalog.RecordsComplete, $"{DateTimeOffset.Now:O} (rebuilt from {records.Count} records)");
        }

        // The switch: the old catalog (if any) moves aside, the new one takes its name.
        string? keptAs = null;
        if (File.Exists(layout.Catalog))
        {
            keptAs = $"{layout.Catalog}.{(readable ? "replaced" : "damaged")}-{DateTime.Now:yyyyMMdd'T'HHmmss}";
            File.Move(layout.Catalog, keptAs);
            string oldLog = LogOf(layout.Catalog);
            if (File.Exists(oldLog)) File.Move(oldLog, keptAs + ".log");
        }
        File.Move(fresh, layout.Catalog);
        Posix.PosixFs.FsyncDirectory(layout.Root);
        if (why is not null && !readable && File.Exists(keptAs ?? "")) report?.Invoke($"the old catalog ({why}) is kept as {keptAs}");
        return new CatalogRebuildResult(kept.Select(k => k.Snapshot with { Pin = k.Snapshot.Pin }).ToList(), replay.Forgotten, records.Count,
            replay.LastSequence, leftOut, problems, keptAs);
    }

    private sealed record Restored(SnapshotRecord Snapshot, Score Score, Score? PinRecord);

    private sealed class Replayed
    {
        public Dictionary<long, Restored> Snapshots { get; } = [];
        public List<(Score Score, IReadOnlyList<Score> Targets)> Forgets { get; } = [];
        public (SettingsRecorded Record, Score Score)? Settings { get; set; }
        public int Forgotten { get; set; }
        public long LastSequence { get; set; }
        public long LastId { get; set; }
    }

    private static Replayed Replay(List<FoundRecord> ordered, Action<string> problem)
    {
        var r = new Replayed();
        foreach (var f in ordered)
        {
            r.LastSequence = Math.Max(r.LastSequence, f.Record.Sequence);
            switch (f.Record)
            {
                case SnapshotCommitted s:
                    r.LastId = Math.Max(r.LastId, s.Snapshot.Id);
                    if (r.Snapshots.ContainsKey(s.Snapshot.Id))
                        problem($"catalog record {f.Score.Short}: snapshot id {s.Snapshot.Id} was recorded before; the later record is kept");
                    r.Snapshots[s.Snapshot.Id] = new Restored(s.Snapshot, f.Score, null);
                    break;
                case SnapshotsForgotten fg:
                    foreach (var t in fg.Snapshots)
                    {
                        r.LastId = Math.Max(r.LastId, t.Id);
                        if (r.Snapshots.TryGetValue(t.Id, out var target) && (t.Record.IsZero || t.Record == target.Score))
                        {
                            r.Snapshots.Remove(t.Id);
                            r.Forgotten++;
                        }
                    }
                    r.Forgets.Add((f.Score, fg.Snapshots.Select(t => t.Record).ToList()));
                    break;
                case PinChanged p:
                    if (r.Snapshots.TryGetValue(p.SnapshotId, out var pinned) && (p.SnapshotRecord.IsZero || p.SnapshotRecord == pinned.Score))
                        r.Snapshots[p.SnapshotId] = pinned with { Snapshot = pinned.Snapshot with { Pin = p.Pin }, PinRecord = f.Score };
                    break;
                case SettingsRecorded st:
                    r.Settings = (st, f.Score);
                    break;
            }
        }
        return r;
    }

    private static bool CatalogReadable(StoreLayout layout, out string? why)
    {
        why = null;
        if (!File.Exists(layout.Catalog)) { why = "missing"; return false; }
        try
        {
            using var catalog = StoreCatalog.Open(layout.Catalog, readOnly: true);
            catalog.ReadEverything();
            if (catalog.ReadSnapshots().Damaged.Count > 0) { why = "some snapshot records are damaged"; return false; }
            return true;
        }
        catch (Exception e) when (e is StoreFormatException or StoreException or IOException)
        {
            why = e.Message;
            return false;
        }
    }

    private static string LogOf(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));

    private static void RemoveCatalogFiles(string path)
    {
        File.Delete(path); // a rebuild that died before its switch left it: it never was the catalog
        File.Delete(LogOf(path));
    }
}
