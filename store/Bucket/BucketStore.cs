// A store kept in a bucket, seen from one host: the local store directory is its write-ahead area (the open arena,
// everything not yet uploaded) and its cache; the bucket holds the sealed arenas, the index segments and the
// snapshot records of every host (BucketKeys). After each snapshot commits locally, Push uploads in the order
// arenas, index segment, snapshot record, so an object that names another is put after it: a crash between leaves
// only objects nothing names yet, and the next push does the step again.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Index;
using TimeTravel.Store.Objects;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Bucket;

public sealed class BucketStore : IDisposable
{
    private readonly Repository _repo;
    public BucketLink Link { get; }
    public IObjectStore Objects { get; }
    public ObjectRangeCache Cache { get; }

    /// <summary>Bytes of arena data the range cache keeps on disk (STORE/cache) at most.</summary>
    public const long DefaultCacheBytes = 1L << 30;

    internal BucketStore(Repository repo, BucketLink link, IObjectStore objects, ObjectRangeCache cache)
    {
        _repo = repo; Link = link; Objects = objects; Cache = cache;
    }

    public static string CacheDirectory(StoreLayout layout) => Path.Combine(layout.Root, "cache");

    /// <summary>The first arena number this host may append to: past its slot's start and everything it published.</summary>
    public static uint ArenaFloor(BucketLink link, BucketState state) =>
        (uint)Math.Max(BucketKeys.FirstArenaOf(link.Slot), state.PublishedThrough + 1);

    public string Where(string key) => $"{Objects.Location}/{key}";

    // ---- a snapshot's start: what the other hosts stored, and what garbage collection took away ------------------

    private HashSet<uint> _excludedAtStart = [];

    /// <summary>
    /// Before a snapshot: takes in the index segments published since (one LIST), reads the gc records (one LIST),
    /// so no block in a condemned arena is reused, and starts noting the blocks the snapshot reuses. A bucket that
    /// cannot be reached is said once and the snapshot goes to the local write-ahead area alone.
    /// </summary>
    public void BeginSnapshot(Action<string>? warn)
    {
        try
        {
            PullIndex();
        }
        catch (IOException e)
        {
            warn?.Invoke($"{Objects.Location}: {e.Message}; the snapshot is kept in {_repo.Layout.Root} and uploaded by the next one");
        }
        _excludedAtStart = [.. _repo.Blocks.Index.Excluded];
        _repo.Blocks.KeepReused();
        StartStreaming();
        _firstArenaOfRun = _repo.Blocks.AppendingArena;
        _publishedAtStart = _repo.Catalog.Snapshots().Where(s => s.Host is null).Select(s => s.Id).DefaultIfEmpty(0).Max();
    }

    /// <summary>The next snapshot must walk every source (a withdrawn snapshot consumed the change journal).</summary>
    public bool MustWalk => BucketState.Load(_repo.Layout).MustWalk;

    // Reads every gc record; the arenas they name are excluded from reuse from here on (and remembered locally, for
    // readers). Returns the arenas already deleted.
    private HashSet<uint> RefreshExclusions(BucketState state)
    {
        var records = GcRecord.ReadAll(Objects);
        state.Excluded.Clear();
        foreach (var r in records) state.Excluded.UnionWith(r.Arenas);
        state.GcSeen = records.Select(r => r.Generation).DefaultIfEmpty(state.GcSeen).Max();
        state.Save(_repo.Layout);
        _repo.Blocks.Index.Excluded = new HashSet<uint>(state.Excluded);
        return records.Where(r => r.Deleted).SelectMany(r => r.Arenas).ToHashSet();
    }

    internal void LoadExclusions() => _repo.Blocks.Index.Excluded = new HashSet<uint>(BucketState.Load(_repo.Layout).Excluded);

    // ---- push: this host's new arenas, their index, its snapshot records --------------------------------------

    /// <summary>What one push put in the bucket.</summary>
    public sealed record PushResult(int Arenas, long ArenaBytes, int Records, int Rescued);

    /// <summary>
    /// Seals the open arena and uploads every sealed arena of this host not yet in the bucket, an index segment
    /// for them, then the records of its snapshots not yet there. The writer calls it after a snapshot committed.
    /// Around the records it checks that no block the snapshot reused was condemned by a gc on another host
    /// meanwhile (a host paused for long): such a block is copied into this host's arena while it still exists;
    /// one already deleted withdraws the snapshot (a StoreException says so) and the next snapshot walks.
    /// </summary>
    public PushResult Push()
    {
        var (streamed, streamedBytes) = FinishStreaming();
        var state = BucketState.Load(_repo.Layout);
        var (arenas, bytes) = UploadPending(state);
        arenas += streamed; bytes += streamedBytes;
        int rescued = Rescue(state, published: false);
        int records = PublishSnapshots(state);
        rescued += Rescue(state, published: true);
        if (state.MustWalk && records > 0) { state.MustWalk = false; state.Save(_repo.Layout); }
        if (arenas > 0) MergeOwnSegments();
        if (!Link.KeepLocal) EvictPublished(state);
        return new PushResult(arenas, bytes, records, rescued);
    }

    /// <summary>
    /// Push, and also every local arena the bucket lacks that Push does not cover (a replicated store's arenas
    /// compacted by its local gc): what `replicate` does. One LIST of the arenas.
    /// </summary>
    public PushResult PushAll()
    {
        var pushed = Push();
        var there = Objects.List(BucketKeys.ArenasPrefix).Select(o => o.Key).ToHashSet();
        var collected = BucketState.Load(_repo.Layout).Excluded; // condemned or deleted by gc: never put back
        var missing = _repo.Blocks.Arenas.List().Where(n => n < _repo.Blocks.AppendingArena || ArenaFormat.IsCompacted(n))
            .Where(n => !there.Contains(BucketKeys.Arena(n)) && !collected.Contains(n)).ToList();
        if (missing.Count == 0) return pushed;
        long bytes = PublishArenas(BucketState.Load(_repo.Layout), missing, appended: false, indexedHere: true);
        return pushed with { Arenas = pushed.Arenas + missing.Count, ArenaBytes = pushed.ArenaBytes + bytes };
    }

    private (int Arenas, long Bytes) UploadPending(BucketState state)
    {
        _repo.Blocks.Seal();
        var pending = Unpublished(state, below: _repo.Blocks.AppendingArena);
        if (pending.Count == 0) return (0, 0);
        return (pending.Count, PublishArenas(state, pending, appended: true, indexedHere: true));
    }

    // This host's appended arenas not yet in the bucket, below the given number, in order.
    private List<uint> Unpublished(BucketState state, long below)
    {
        uint floor = ArenaFloor(Link, state);
        return _repo.Blocks.Arenas.ListAppended().Where(n => n >= floor && BucketKeys.SlotOf(n) == Link.Slot && n < below).ToList();
    }

    // Arenas first, several at once (each a large object); then the segment that names them; then the state. An
    // appended run moves the published mark; `indexedHere` says the local index holds their blocks already.
    private long PublishArenas(BucketState state, List<uint> arenas, bool appended, bool indexedHere)
    {
        long bytes = UploadArenas(arenas);
        PublishIndexSegment(arenas);
        if (appended) state.PublishedThrough = arenas[^1];
        if (indexedHere) state.Imported.Add((Link.Host, arenas[0], arenas[^1]));
        state.Save(_repo.Layout);
        return bytes;
    }

    private const int UploadParallelism = 4;

    // Puts the arenas, several at once; a failure comes out as the first one's IOException, naming the object.
    private long UploadArenas(IReadOnlyList<uint> arenas)
    {
        long bytes = 0;
        try
        {
            Parallel.ForEach(arenas, new ParallelOptions { MaxDegreeOfParallelism = UploadParallelism }, n =>
            {
                string path = _repo.Blocks.Arenas.PathOf(n);
                Objects.PutFile(BucketKeys.Arena(n), path);
                Interlocked.Add(ref bytes, new FileInfo(path).Length);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is IOException) is IOException first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
        return bytes;
    }

    // ---- streaming: each arena that fills up during a snapshot is uploaded (with its index segment) at once, in
    // order, by one background task, so the upload overlaps the reading and chunking instead of following it.

    private System.Collections.Concurrent.BlockingCollection<uint>? _sealedArenas;
    private Task? _uploader;
    private Exception? _uploadFailure;
    private int _streamedArenas;
    private long _streamedBytes;

    private void StartStreaming()
    {
        if (_uploader is not null) return;
        _sealedArenas = new();
        _repo.Blocks.ArenaSealed += OnArenaSealed;
        _uploader = Task.Factory.StartNew(UploadSealed, TaskCreationOptions.LongRunning);
    }

    private void OnArenaSealed(uint arena)
    {
        try { _sealedArenas?.Add(arena); } catch (InvalidOperationException) { } // finishing: Push uploads it
    }

    private void UploadSealed()
    {
        foreach (uint n in _sealedArenas!.GetConsumingEnumerable())
        {
            if (_uploadFailure is not null) continue; // drain; Push reports the failure and uploads what is left
            try
            {
                var state = BucketState.Load(_repo.Layout);
                // Every unpublished arena up to this one, in order: the published mark never passes one not yet up.
                var before = Unpublished(state, below: (long)n + 1);
                if (before.Count == 0) continue;
                // Not marked as taken in: these blocks are indexed here only once the snapshot commits; if it never
                // does (kill -9), the next snapshot takes the segment in from the bucket instead of storing them again.
                _streamedBytes += PublishArenas(state, before, appended: true, indexedHere: false);
                _streamedArenas += before.Count;
            }
            catch (Exception e) { _uploadFailure = e; }
        }
    }

    private (int Arenas, long Bytes) FinishStreaming()
    {
        if (_uploader is null) return (0, 0);
        _repo.Blocks.ArenaSealed -= OnArenaSealed;
        _sealedArenas!.CompleteAdding();
        _uploader.Wait();
        _uploader = null;
        _sealedArenas.Dispose();
        _sealedArenas = null;
        if (_uploadFailure is { } e)
        {
            _uploadFailure = null;
            if (e is IOException io) throw io;
            throw new IOException(e.Message, e);
        }
        return (_streamedArenas, _streamedBytes);
    }

    private readonly HashSet<Score> _rescued = [];

    private int Rescue(BucketState state, bool published)
    {
        var reused = _repo.Blocks.Reused;
        if (reused.Count == 0 && !published) return 0;
        var deleted = RefreshExclusions(state);
        var newly = state.Excluded.Where(a => !_excludedAtStart.Contains(a)).ToHashSet();
        if (newly.Count == 0) return 0;
        var lost = new List<Score>();
        int copied = 0;
        foreach (var (score, arena) in reused)
        {
            if (!newly.Contains(arena) || _rescued.Contains(score)) continue;
            if (!_repo.Blocks.TryLocate(score, out var from)) { lost.Add(score); continue; }
            if (!state.Excluded.Contains(from.Arena)) { _rescued.Add(score); continue; } // another copy stays
            try { _repo.Blocks.CopyRecord(score, from); _rescued.Add(score); copied++; }
            catch (IOException) { lost.Add(score); } // the arena is gone already
        }
        // This host's own new arenas: a gc with a grace period shorter than this snapshot may condemn one before its
        // record is out (no live block yet); that is harmless, the next gc marks again and keeps it. One already
        // deleted means the snapshot cannot stand.
        bool ownTaken = deleted.Any(a => BucketKeys.SlotOf(a) == Link.Slot && a >= _firstArenaOfRun);
        if (lost.Count > 0 || ownTaken) Withdraw(state, lost.Count);
        if (copied > 0) UploadPending(state);
        return copied;
    }

    private uint _firstArenaOfRun = uint.MaxValue;

    // A snapshot that names blocks a gc deleted meanwhile must not stand: its records come out of the bucket and the
    // catalog, and the next snapshot walks every source (the withdrawn one consumed the change journal).
    private void Withdraw(BucketState state, int lost)
    {
        var mine = _repo.Catalog.Snapshots().Where(s => s.Host is null && s.Id > _publishedAtStart).ToList();
        foreach (var s in mine) Objects.Delete(BucketKeys.Snapshot(Link.Host, s.Name));
        if (mine.Count > 0) _repo.Forget(mine);
        state.MustWalk = true;
        state.PublishedSnapshots = Math.Max(state.PublishedSnapshots, mine.Select(s => s.Id).DefaultIfEmpty(0).Max());
        state.Save(_repo.Layout);
        throw new StoreException($"{Objects.Location}: a garbage collection on another host deleted {lost} blocks that snapshot " +
            $"{string.Join(", ", mine.Select(s => s.Name))} reused while this host was paused; the snapshot was withdrawn " +
            "(nothing older is affected) and the next snapshot walks every source");
    }

    private long _publishedAtStart = long.MaxValue;

    private void PublishIndexSegment(List<uint> arenas)
    {
        var entries = new List<IndexEntry>();
        foreach (uint n in arenas)
        {
            var scan = new ScanResult();
            foreach (var rec in ArenaScanner.Scan(_repo.Blocks.Arenas.PathOf(n), 0, scan)) entries.Add(new IndexEntry(rec.Header.Score, rec.Location(n)));
            if (scan.TornTail || scan.Corrupt.Count > 0)
                throw new StoreFormatException(_repo.Blocks.Arenas.PathOf(n), "a sealed arena has damaged records; run `timetravel verify` before it is uploaded");
        }
        entries.Sort((a, b) => a.Score.CompareTo(b.Score));
        string tmp = Path.Combine(_repo.Layout.Root, $"bucket-segment.{Environment.ProcessId}.tmp");
        try
        {
            File.Delete(tmp);
            IndexSegment.Write(tmp, entries, Math.Max(1, entries.Count));
            Objects.PutFile(BucketKeys.IndexSegment(Link.Host, arenas[0], arenas[^1]), tmp);
        }
        finally { File.Delete(tmp); }
    }

    // ---- this host's published segments stay few: when its newest MergeFanIn segments are of one size tier they
    // are merged into one (put first, then the inputs deleted), so their number grows with the log of the history
    // and one LIST of index/ stays one request. Another host that took the inputs in skips the merged segment
    // (BucketState.Covers); one that listed an input just before it went finds the merged one at its next snapshot.

    private const int MergeFanIn = 4;
    private static int TierOf(long bytes) => bytes < 64 << 10 ? 0 : 1 + (int)Math.Floor(Math.Log(bytes / (64.0 * 1024), MergeFanIn));

    private int MergeOwnSegments()
    {
        var own = new List<(string Key, uint First, uint Last, long Size)>();
        foreach (var o in Objects.List($"{BucketKeys.IndexPrefix}{Link.Host}/"))
            if (BucketKeys.TryParseIndexSegment(o.Key, out string h, out uint f, out uint l) && h == Link.Host && !ArenaFormat.IsCompacted(l))
                own.Add((o.Key, f, l, o.Size));
        own.Sort((a, b) => a.First.CompareTo(b.First));
        int merges = 0;
        while (own.Count >= MergeFanIn)
        {
            var tail = own.GetRange(own.Count - MergeFanIn, MergeFanIn);
            int tier = TierOf(tail[0].Size);
            if (tail.Any(t => TierOf(t.Size) != tier)) break;
            var temps = new List<string>();
            var segments = new List<IndexSegment>();
            string merged = Path.Combine(_repo.Layout.Root, $"bucket-merge.{Environment.ProcessId}.tmp");
            try
            {
                foreach (var t in tail)
                {
                    string tmp = Path.Combine(_repo.Layout.Root, $"bucket-merge.{Environment.ProcessId}.{temps.Count}.tmp");
                    File.WriteAllBytes(tmp, Objects.Get(t.Key));
                    temps.Add(tmp);
                    segments.Add(IndexSegment.Open(tmp));
                }
                File.Delete(merged);
                IndexSegment.Write(merged, BlockIndex.MergeSorted(segments.Select(s => s.Entries())), Math.Max(1, segments.Sum(s => s.Count)));
                string key = BucketKeys.IndexSegment(Link.Host, tail[0].First, tail[^1].Last);
                Objects.PutFile(key, merged);
                foreach (var t in tail) Objects.Delete(t.Key);
                own.RemoveRange(own.Count - MergeFanIn, MergeFanIn);
                own.Add((key, tail[0].First, tail[^1].Last, new FileInfo(merged).Length));
                merges++;
            }
            finally
            {
                foreach (var s in segments) s.Dispose();
                foreach (var t in temps) File.Delete(t);
                File.Delete(merged);
            }
        }
        return merges;
    }

    private int PublishSnapshots(BucketState state)
    {
        int n = 0;
        foreach (var s in _repo.Catalog.Snapshots().Where(s => s.Host is null && s.Id > state.PublishedSnapshots))
        {
            Objects.Put(BucketKeys.Snapshot(Link.Host, s.Name), CatalogRecordCodec.Encode(new SnapshotCommitted(s)));
            state.PublishedSnapshots = s.Id;
            state.Save(_repo.Layout);
            n++;
        }
        return n;
    }

    // The local copies of published arenas are a cache too: the newest are kept, within the cache's budget, since the
    // next snapshot reads the last one's directories from them (and can go on while the bucket is unreachable); older
    // ones are deleted, and read by range through the range cache when needed.
    private void EvictPublished(BucketState state)
    {
        long kept = 0;
        foreach (uint n in _repo.Blocks.Arenas.ListAppended().Where(n => n <= state.PublishedThrough && n < _repo.Blocks.AppendingArena).OrderDescending())
        {
            string path = _repo.Blocks.Arenas.PathOf(n);
            kept += new FileInfo(path).Length;
            if (kept <= LocalArenaBytes) continue;
            try { File.Delete(path); } catch (IOException) { }
        }
    }

    /// <summary>Bytes of published arenas a writer keeps on its disk (the newest), besides the range cache.</summary>
    public static long LocalArenaBytes { get; set; } = DefaultCacheBytes;

    /// <summary>Removes a forgotten snapshot's record from the bucket (its blocks stay until gc).</summary>
    public void Unpublish(SnapshotRecord s)
    {
        if (s.Host is null) Objects.Delete(BucketKeys.Snapshot(Link.Host, s.Name));
    }

    // ---- pull: other hosts' index segments and snapshot records --------------------------------------------------

    /// <summary>
    /// Takes into the local index every published segment it lacks (other hosts' blocks, and this host's own on a
    /// fresh machine), so a block any host stored is not stored again. One LIST, then a GET per new segment.
    /// The gc records are read first (one LIST), so a writer reuses no block of an arena a collection condemned.
    /// Returns the segments taken in.
    /// </summary>
    public int PullIndex()
    {
        var state = BucketState.Load(_repo.Layout);
        RefreshExclusions(state);
        int taken = 0;
        foreach (var o in Objects.List(BucketKeys.IndexPrefix))
        {
            if (!BucketKeys.TryParseIndexSegment(o.Key, out string host, out uint first, out uint last)) continue;
            if (state.Covers(host, first, last)) continue;
            string tmp = Path.Combine(_repo.Layout.Root, $"bucket-import.{Environment.ProcessId}.tmp");
            try
            {
                File.Delete(tmp);
                try { File.WriteAllBytes(tmp, Objects.Get(o.Key)); }
                catch (ObjectNotFoundException) { continue; } // merged into a bigger one since the LIST: taken in next time
                using var segment = IndexSegment.Open(tmp);
                foreach (var e in segment.Entries())
                    // Condemned arenas' entries too: a snapshot committed while a gc condemned them may still use their
                    // blocks (the next gc finds it and keeps them); lookups prefer another copy (BlockIndex.Excluded).
                    if (!_repo.Blocks.Index.Contains(e.Score)) _repo.Blocks.Index.Add(e.Score, e.Location);
            }
            catch (StoreFormatException e) { throw new StoreFormatException(Where(o.Key), $"index segment is damaged: {e.Problem}"); }
            finally { File.Delete(tmp); }
            _repo.Blocks.Commit();
            state.Imported.Add((host, first, last));
            state.Save(_repo.Layout);
            taken++;
        }
        return taken;
    }

    /// <summary>
    /// Brings the local catalog in line with the snapshot records in the bucket: other hosts' new snapshots are
    /// added, those their host forgot are dropped; this host's own records that the local catalog lacks (a fresh
    /// machine) are added as its own. Returns (added, dropped).
    /// </summary>
    public (int Added, int Dropped) PullCatalog()
    {
        var listed = new Dictionary<(string Host, string Name), string>();
        foreach (var o in Objects.List(BucketKeys.CatalogPrefix))
            if (BucketKeys.TryParseSnapshot(o.Key, out string host, out string name)) listed[(host, name)] = o.Key;
        var local = _repo.Catalog.Snapshots();
        var have = local.Select(s => (s.Host ?? Link.Host, s.Name)).ToHashSet();
        int added = 0, dropped = 0;
        foreach (var ((host, name), key) in listed.OrderBy(k => k.Key.Name, StringComparer.Ordinal))
        {
            if (have.Contains((host, name))) continue;
            var record = CatalogRecordCodec.Decode(Objects.Get(key), Where(key)) as SnapshotCommitted
                ?? throw new StoreFormatException(Where(key), "not a snapshot record");
            if (host == Link.Host) _repo.Catalog.AddSnapshot(record.Snapshot with { Id = 0, Host = null, Pin = record.Snapshot.Pin });
            else _repo.ImportForeignSnapshot(record.Snapshot with { Host = host });
            added++;
        }
        var gone = local.Where(s => s.Host is not null && !listed.ContainsKey((s.Host, s.Name))).Select(s => s.Id).ToList();
        if (gone.Count > 0) { _repo.Catalog.ForgetSnapshots(gone); dropped = gone.Count; }
        // A host recovering on a new machine backs up what it backed up before (the newest own snapshot's sources;
        // their excludes are not in the record, so `timetravel init SOURCE --exclude` adds them again).
        if (_repo.Catalog.Sources().Count == 0 && _repo.OwnSnapshots().LastOrDefault() is { } newest)
            foreach (var source in newest.Sources) _repo.AddSource(new SourceRecord(source, []));
        var state = BucketState.Load(_repo.Layout);
        long ownMax = _repo.Catalog.Snapshots().Where(s => s.Host is null).Select(s => s.Id).DefaultIfEmpty(0).Max();
        if (added > 0 && state.PublishedSnapshots < ownMax && local.All(s => s.Host is not null))
        {
            state.PublishedSnapshots = ownMax; // a fresh machine's own records came from the bucket: nothing to publish
            state.Save(_repo.Layout);
        }
        return (added, dropped);
    }

    public void Dispose()
    {
        try { FinishStreaming(); } catch (IOException) { } // the snapshot failed before Push: what is local stays for the next

        Objects.Dispose();
    }
}
