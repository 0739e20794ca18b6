// Garbage collection of a store in a bucket, safe while other hosts keep writing and against a host paused for
// long, in two steps a grace period apart (docs/design.md, "Stores in a bucket"):
//  1. condemn: mark every block of every host's snapshots; an arena in the bucket none of whose blocks is live,
//     and older than the grace period, is listed in gc/G.condemned. Writers that start after it never reuse its
//     blocks; a writer already running checks, after publishing, whether it reused any (BucketStore.Push) and
//     copies them while they still exist.
//  2. delete (a later gc, once G is older than the grace period): mark again, now seeing every snapshot committed
//     since, and delete each condemned arena whose live blocks (if any) all have a copy elsewhere; list them in
//     gc/G.deleted first, then delete the arenas, then gc/G.condemned. An arena that became live again is simply
//     no longer condemned.
// Whole arenas only: a partly live arena is left as it is (its space comes back when all of it is dead).
using TimeTravel.Store.Collection;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Bucket;

public sealed record BucketCollectionResult(int Snapshots, int Hosts, long LiveBlocks, int Condemned, int Deleted, long DeletedBytes, int Kept);

public static class BucketCollector
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(1);

    public static BucketCollectionResult Run(Repository repo, TimeSpan grace, bool dryRun, Action<string>? report)
    {
        var bucket = repo.Bucket ?? throw new StoreException($"{repo.Layout.Root}: not a store in a bucket");
        bucket.PullCatalog();
        bucket.PullIndex();
        var now = DateTimeOffset.UtcNow;
        var records = GcRecord.ReadAll(bucket.Objects);
        var inBucket = bucket.Objects.List(BucketKeys.ArenasPrefix)
            .Select(o => BucketKeys.TryParseArena(o.Key, out uint n) ? (n, o) : (uint.MaxValue, o))
            .Where(x => x.Item1 != uint.MaxValue).ToDictionary(x => x.Item1, x => x.o);

        // Mark: every snapshot of every host in the catalog (PullCatalog brought them in), through the merged index.
        var snapshots = repo.Catalog.Snapshots();
        var marks = new MarkSet(repo.Blocks.Index.Segments.ToList());
        var marker = new Marker(marks, Collector.LocateLater(repo), Collector.ReadFor(repo));
        foreach (var s in snapshots) marker.MarkSnapshot(s);
        foreach (var score in repo.LiveRecordScores(_ => true)) marker.MarkBlock(score, "catalog record");
        var live = new HashSet<Score>();
        var arenasOf = new Dictionary<Score, List<uint>>();
        var liveInArena = new Dictionary<uint, int>();
        foreach (var (entry, _, _, isLive) in marks.Entries()) if (isLive) live.Add(entry.Score);
        foreach (var (entry, _, _, _) in marks.Entries())
        {
            if (!live.Contains(entry.Score)) continue;
            (arenasOf.TryGetValue(entry.Score, out var l) ? l : arenasOf[entry.Score] = []).Add(entry.Location.Arena);
            liveInArena[entry.Location.Arena] = liveInArena.GetValueOrDefault(entry.Location.Arena) + 1;
        }
        var excluded = records.SelectMany(r => r.Arenas).ToHashSet();

        // 2. Delete what earlier gcs condemned, once past the grace period and still dead.
        int deleted = 0, kept = 0; long deletedBytes = 0;
        foreach (var g in records.Where(r => !r.Deleted && now - r.Time >= grace).OrderBy(r => r.Generation))
        {
            var candidates = g.Arenas.ToHashSet();
            var doomed = g.Arenas.Where(a => !liveInArena.ContainsKey(a) || LiveBlocksHaveCopies(a, candidates, excluded, arenasOf)).ToList();
            kept += g.Arenas.Count - doomed.Count;
            report?.Invoke($"gc generation {g.Generation}: deleting {doomed.Count} arenas" + (g.Arenas.Count > doomed.Count ? $", {g.Arenas.Count - doomed.Count} live again and kept" : ""));
            deleted += doomed.Count;
            deletedBytes += doomed.Sum(a => inBucket.TryGetValue(a, out var o) ? o.Size : 0);
            if (dryRun) continue;
            bucket.Objects.Put(BucketKeys.Deleted(g.Generation), new GcRecord(g.Generation, true, now, doomed).Encode());
            foreach (uint a in doomed)
            {
                bucket.Objects.Delete(BucketKeys.Arena(a));
                // A host's own local copy goes too (a replicated store keeps its arenas): its space comes back here as well.
                try { File.Delete(repo.Blocks.Arenas.PathOf(a)); } catch (IOException) { }
                repo.Blocks.Arenas.Forget(a);
            }
            bucket.Objects.Delete(BucketKeys.Condemned(g.Generation));
        }

        // 1. Condemn arenas with no live block, old enough that no writer can still be about to name them.
        var condemn = inBucket.Where(kv => !excluded.Contains(kv.Key) && !liveInArena.ContainsKey(kv.Key) && now - kv.Value.Modified >= grace)
            .Select(kv => kv.Key).Order().ToList();
        if (condemn.Count > 0 && !dryRun)
        {
            long generation = records.Select(r => r.Generation).DefaultIfEmpty(0).Max() + 1;
            bucket.Objects.Put(BucketKeys.Condemned(generation), new GcRecord(generation, false, now, condemn).Encode());
        }
        report?.Invoke($"condemned {condemn.Count} arenas with no live block (deleted by a gc at least {grace.TotalSeconds:0} s later)");
        int hosts = snapshots.Select(s => s.Host ?? bucket.Link.Host).Distinct().Count();
        return new BucketCollectionResult(snapshots.Count, hosts, live.Count, condemn.Count, deleted, deletedBytes, kept);
    }

    // Every live block of the arena has a copy in an arena that is neither excluded nor about to go.
    private static bool LiveBlocksHaveCopies(uint arena, HashSet<uint> going, HashSet<uint> excluded, Dictionary<Score, List<uint>> arenasOf)
    {
        foreach (var (score, arenas) in arenasOf)
            if (arenas.Contains(arena) && !arenas.Any(a => a != arena && !going.Contains(a) && !excluded.Contains(a))) return false;
        return true;
    }
}
