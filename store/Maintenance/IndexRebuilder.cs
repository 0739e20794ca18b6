// Rebuilds the block index from the arenas alone (Venti's buildindex): the index is derived data.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;

namespace TimeTravel.Store.Maintenance;

public sealed record RebuildResult(long Blocks, int Arenas, IReadOnlyList<string> Problems);

public static class IndexRebuilder
{
    private const int EntriesPerRun = 4 << 20; // 192 MiB of entries in memory at most, then a sorted run on disk

    // The generation of the last garbage collection is carried over (an interrupted one was recovered first).
    private static IndexManifest? TryLoad(string dir)
    {
        try { return IndexManifest.Load(dir); }
        catch (Exception e) when (e is StoreFormatException or IOException) { return null; }
    }

    /// <summary>
    /// The caller holds the writer lock and gc.lock, and has recovered an interrupted collection first (its duplicate
    /// copies would otherwise be indexed from arenas about to be deleted). Replaces the index with one made by scanning every arena. The new segments are
    /// written beside the old ones, numbered after them; the new manifest replacing the old one (a rename) is the switch,
    /// so a rebuild killed at any point leaves the old index whole for readers, and its segments are orphans the next
    /// writer deletes.
    /// </summary>
    public static RebuildResult Rebuild(StoreLayout layout, Action<string>? report = null, WorkProgress? progress = null)
    {
        var problems = new List<string>();
        var arenas = new ArenaSet(layout.Arenas);
        StoreFiles.CreateDirectory(layout.Index); // the index is derived data: rebuilding must work after it was deleted
        uint firstNumber = BlockIndex.NextSegmentNumber(layout.Index);
        var runs = new List<string>();
        var batch = new List<IndexEntry>();
        var seen = new HashSet<Scores.Score>();
        long total = 0;
        uint lastArena = 0; long lastEnd = ArenaFormat.HeaderSize;
        var numbers = arenas.List();
        var old = TryLoad(layout.Index);
        progress?.Begin("arenas", numbers.Count, numbers.Sum(n => new FileInfo(arenas.PathOf(n)).Length));
        void FlushRun()
        {
            if (batch.Count == 0) return;
            batch.Sort((a, b) => a.Score.CompareTo(b.Score));
            string name = BlockIndex.SegmentName(firstNumber + (uint)runs.Count);
            IndexSegment.Write(Path.Combine(layout.Index, name), batch, batch.Count);
            runs.Add(name);
            batch.Clear();
        }
        foreach (uint n in numbers)
        {
            string path = arenas.PathOf(n);
            var result = new ScanResult();
            try
            {
                foreach (var rec in ArenaPass.Records(path, n, result, progress))
                {
                    if (!seen.Add(rec.Header.Score)) continue; // stored twice (possible after a crash): the first copy wins
                    batch.Add(new IndexEntry(rec.Header.Score, rec.Location(n)));
                    total++;
                    if (batch.Count >= EntriesPerRun) { FlushRun(); seen.Clear(); }
                }
            }
            catch (StoreFormatException e) { problems.Add(e.Message); report?.Invoke(e.Message); continue; }
            foreach (var (offset, length) in result.Corrupt)
            {
                var msg = $"{path}: {length} damaged bytes at offset {offset} skipped";
                problems.Add(msg); report?.Invoke(msg);
            }
            if (result.TornTail && n != numbers.LastOrDefault(a => !ArenaFormat.IsCompacted(a)))
            {
                var msg = $"{path}: unreadable data after offset {result.ValidEnd}";
                problems.Add(msg); report?.Invoke(msg);
            }
            // The watermark is the writer's place: the last appended arena, never a compacted one.
            if (!ArenaFormat.IsCompacted(n)) { lastArena = n; lastEnd = result.ValidEnd; }
        }
        FlushRun();
        new IndexManifest(lastArena, lastEnd, runs, old?.GcGeneration ?? 0).Save(layout.Index);
        foreach (var f in Directory.EnumerateFiles(layout.Index))
            if (!runs.Contains(Path.GetFileName(f)) && Path.GetFileName(f) != IndexManifest.FileName) File.Delete(f);
        using (var index = new BlockIndex(layout.Index)) index.Merge();
        arenas.Dispose();
        return new RebuildResult(total, numbers.Count, problems);
    }
}
