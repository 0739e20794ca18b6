// The block index: score → arena location. New entries collect in memory (at most PendingLimit of them: the writer
// commits early when the bound is reached) until a commit writes them as a sorted segment; segments of similar size
// are merged in tiers, so a merge rewrites only one tier, never the whole index each time. It is derived data:
// `timetravel index rebuild` remakes it from the arenas. Memory per stored block is the Bloom filters' 10-20 bits
// plus the fence's 0.1 byte; the pending entries add a fixed ~100 bytes × PendingLimit at most.
using System.Collections.Concurrent;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Index;

public sealed class BlockIndex : IDisposable
{
    /// <summary>Pending entries at which the writer commits in the middle of a snapshot (~100 MB of memory).</summary>
    public const int DefaultPendingLimit = 1 << 20;
    /// <summary>Segments of one tier merged at once; a tier holds segments within a factor of MergeFanIn in size.</summary>
    public const int MergeFanIn = 4;
    /// <summary>Segments of up to this many entries (3 MiB) are all tier 0.</summary>
    public const long TierBase = 1 << 16;

    private readonly string _dir;
    private readonly ConcurrentDictionary<Score, BlockLocation> _pending = new();
    // ConcurrentDictionary.Count takes every lock of the table; asked once per stored block it was 5% of a snapshot's CPU.
    private int _pendingCount;
    private List<IndexSegment> _segments = []; // newest first
    private IndexManifest _manifest;
    private DateTime _manifestStamp;
    private readonly object _refreshLock = new();

    public BlockIndex(string dir)
    {
        _dir = dir;
        _manifest = IndexManifest.Empty;
        Refresh(force: true);
    }

    public IndexManifest Manifest => _manifest;
    public int PendingCount => Volatile.Read(ref _pendingCount);
    public int PendingLimit { get; set; } = DefaultPendingLimit;
    /// <summary>The pending entries reached their bound: the writer must make its blocks durable and commit.</summary>
    public bool PendingFull => PendingCount >= PendingLimit;
    public IReadOnlyList<IndexSegment> Segments => _segments;

    /// <summary>Re-reads the manifest when another process committed; returns true when it changed.</summary>
    public bool Refresh(bool force = false)
    {
        lock (_refreshLock)
        {
            string path = Path.Combine(_dir, IndexManifest.FileName);
            var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (!force && stamp == _manifestStamp) return false;
            var (manifest, fresh) = LoadSegments();
            _segments = fresh;
            // Segments dropped by a merge are not disposed here: another thread may be reading one right now.
            // Their handles close when collected; the files are already unlinked.
            _manifest = manifest;
            _manifestStamp = stamp;
            return true;
        }
    }

    // The manifest and the segments it names. A segment may be deleted between reading the manifest and opening it
    // (a merge or a garbage collection replaced it just then): the manifest has moved on, so read it again.
    private (IndexManifest, List<IndexSegment>) LoadSegments()
    {
        var old = _segments.ToDictionary(s => System.IO.Path.GetFileName(s.Path));
        for (int attempt = 0; ; attempt++)
        {
            var manifest = IndexManifest.Load(_dir);
            var fresh = new List<IndexSegment>();
            try
            {
                foreach (var name in manifest.Segments.Reverse())
                {
                    if (old.TryGetValue(name, out var seg)) fresh.Add(seg);
                    else fresh.Add(IndexSegment.Open(System.IO.Path.Combine(_dir, name)));
                }
                return (manifest, fresh);
            }
            catch (FileNotFoundException) when (attempt < 10)
            {
                foreach (var seg in fresh) if (!old.ContainsValue(seg)) seg.Dispose();
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// Arenas of a bucket store that garbage collection condemned or deleted (store/Bucket): a block there is not
    /// "stored already" for a writer, and a reader takes another copy of it when the index has one.
    /// </summary>
    public IReadOnlySet<uint> Excluded { get; set; } = new HashSet<uint>();

    public bool TryGet(in Score score, out BlockLocation location)
    {
        if (_pending.TryGetValue(score, out location)) return true;
        if (TryGetCommitted(score, out location)) return true;
        return Refresh() && TryGetCommitted(score, out location);
    }

    private bool TryGetCommitted(in Score score, out BlockLocation location)
    {
        bool found = false;
        location = default;
        foreach (var seg in _segments)
            if (seg.TryGet(score, out var e))
            {
                if (!Excluded.Contains(e.Location.Arena)) { location = e.Location; return true; }
                if (!found) { location = e.Location; found = true; } // condemned but there: read it if there is no other copy
            }
        return found;
    }

    /// <summary>Is the block stored already? The Bloom filters answer most "no"s without a disk read.</summary>
    public bool Contains(in Score score)
    {
        if (_pending.ContainsKey(score)) return true;
        foreach (var seg in _segments)
            if (seg.MayContain(score) && seg.TryGet(score, out var e) && !Excluded.Contains(e.Location.Arena)) return true;
        return false;
    }

    public void Add(in Score score, BlockLocation location)
    {
        if (_pending.TryAdd(score, location)) Interlocked.Increment(ref _pendingCount);
    }

    /// <summary>
    /// Writes the pending entries as a new segment and records the watermark (everything in the arenas before it is
    /// indexed). The caller has made the blocks durable first. Then merges any tier that has MergeFanIn segments.
    /// </summary>
    public void Commit(uint watermarkArena, long watermarkOffset)
    {
        lock (_refreshLock)
        {
            var names = _manifest.Segments.ToList();
            if (!_pending.IsEmpty)
            {
                var entries = _pending.Select(p => new IndexEntry(p.Key, p.Value)).ToArray();
                Array.Sort(entries, (a, b) => a.Score.CompareTo(b.Score));
                string name = NextSegmentName();
                IndexSegment.Write(System.IO.Path.Combine(_dir, name), entries, entries.Length);
                names.Add(name);
            }
            new IndexManifest(watermarkArena, watermarkOffset, names, _manifest.GcGeneration).Save(_dir);
            Refresh(force: true);
            _pending.Clear();
            Volatile.Write(ref _pendingCount, 0);
            MergeTiers();
        }
    }

    /// <summary>The tier of a segment: 0 up to TierBase entries, then one more for every factor of MergeFanIn.</summary>
    public static int TierOf(long count)
    {
        int tier = 0;
        for (long limit = TierBase; count > limit; limit *= MergeFanIn) tier++;
        return tier;
    }

    // Size-tiered merging: whenever a tier holds MergeFanIn segments, they become one segment of the next tier. Each
    // entry is rewritten about once per tier (log4 of the index size over 65,536 times in its life), a merge reads
    // and writes only segments of similar size, and at most MergeFanIn - 1 segments stay per tier.
    private void MergeTiers()
    {
        while (true)
        {
            var byName = _segments.ToDictionary(s => System.IO.Path.GetFileName(s.Path));
            var group = _manifest.Segments.GroupBy(n => TierOf(byName[n].Count)).OrderBy(g => g.Key)
                .FirstOrDefault(g => g.Count() >= MergeFanIn);
            if (group is null) return;
            MergeSegments(group.ToList());
        }
    }

    /// <summary>Merges the named live segments into one, which takes the place of the oldest of them.</summary>
    private void MergeSegments(List<string> names)
    {
        var olds = _segments.Where(s => names.Contains(System.IO.Path.GetFileName(s.Path))).ToList();
        string name = NextSegmentName();
        long total = olds.Sum(s => s.Count);
        IndexSegment.Write(System.IO.Path.Combine(_dir, name), MergeSorted(olds.Select(s => s.Entries())), total);
        var live = _manifest.Segments.ToList();
        int at = live.FindIndex(names.Contains);
        live.RemoveAll(names.Contains);
        live.Insert(Math.Min(at, live.Count), name);
        new IndexManifest(_manifest.WatermarkArena, _manifest.WatermarkOffset, live, _manifest.GcGeneration).Save(_dir);
        Refresh(force: true);
        foreach (var s in olds) File.Delete(s.Path);
    }

    /// <summary>Merges every segment into one (after a rebuild: sequential reads and one sequential write).</summary>
    public void Merge()
    {
        lock (_refreshLock)
            if (_segments.Count > 1) MergeSegments(_manifest.Segments.ToList());
    }

    public static IEnumerable<IndexEntry> MergeSorted(IEnumerable<IEnumerable<IndexEntry>> sources)
    {
        var queue = new PriorityQueue<IEnumerator<IndexEntry>, Score>();
        foreach (var src in sources)
        {
            var it = src.GetEnumerator();
            if (it.MoveNext()) queue.Enqueue(it, it.Current.Score);
        }
        while (queue.TryDequeue(out var it, out _))
        {
            yield return it.Current;
            if (it.MoveNext()) queue.Enqueue(it, it.Current.Score);
            else it.Dispose();
        }
    }

    private string NextSegmentName() => SegmentName(NextSegmentNumber(_dir));

    /// <summary>A number above every segment file in the directory, named by the manifest or not.</summary>
    public static uint NextSegmentNumber(string dir)
    {
        uint max = 0;
        foreach (var f in Directory.EnumerateFiles(dir, "*.tti"))
            if (uint.TryParse(System.IO.Path.GetFileNameWithoutExtension(f), out uint n)) max = Math.Max(max, n);
        return max + 1;
    }

    public static string SegmentName(uint number) => $"{number:D8}.tti";

    /// <summary>Deletes segment files no manifest names (left by a crash between segment write and manifest).</summary>
    public void RemoveOrphanSegments()
    {
        var live = _manifest.Segments.ToHashSet();
        foreach (var f in Directory.EnumerateFiles(_dir, "*.tti"))
            if (!live.Contains(System.IO.Path.GetFileName(f))) File.Delete(f);
        foreach (var f in Directory.EnumerateFiles(_dir, "*.tmp")) File.Delete(f);
    }

    /// <summary>Every committed entry, segment by segment (a score appears once per segment).</summary>
    public IEnumerable<IndexEntry> CommittedEntries() => MergeSorted(_segments.Select(s => s.Entries()));

    public void Dispose()
    {
        foreach (var s in _segments) s.Dispose();
        _segments = [];
    }
}
