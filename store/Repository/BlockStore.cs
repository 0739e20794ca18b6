// Blocks by score: the arenas plus the index. Readers get and check blocks; the writer also puts them,
// storing each distinct content once. This is the narrow contract the rest of the store builds on.
using System.Buffers;
using System.Collections.Concurrent;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store;

public interface IBlockSource
{
    /// <summary>The block's content; throws BlockNotFoundException or BlockReadException (naming the arena) on failure.</summary>
    byte[] Get(in Score score);

    /// <summary>
    /// The block's content in a buffer rented from `pool` (its first Length bytes), for a reader that hands buffers
    /// back and so keeps touching the same memory instead of fresh pages. Pooled false: a plain array.
    /// </summary>
    (byte[] Buffer, int Length, bool Pooled) Rent(in Score score, ArrayPool<byte> pool)
    {
        var content = Get(score);
        return (content, content.Length, false);
    }

    /// <summary>A hint that these blocks will be read soon: the store may start reading them from disk now.</summary>
    void Prefetch(IReadOnlyList<Score> scores) { }
}

public sealed class BlockNotFoundException(Score score, string storeRoot)
    : IOException($"{storeRoot}: block {score} is not in the index (run `timetravel index rebuild`, then `timetravel verify`)");

public sealed class BlockStore : IBlockSource, IDisposable
{
    private readonly StoreLayout _layout;
    private readonly ArenaSet _arenas;
    private readonly BlockIndex _index;
    private ArenaWriter? _writer;
    private RecordCodecs _codecs = RecordCodecs.Lz4;
    private readonly object _appendLock = new();
    private readonly ConcurrentDictionary<Score, ManualResetEventSlim> _inflight = new();

    public bool VerifyScoresOnRead { get; set; } = true;

    // Statistics of what this process wrote.
    private long _newBlocks, _newRawBytes, _newStoredBytes;
    public long NewBlocks => Interlocked.Read(ref _newBlocks);
    public long NewRawBytes => Interlocked.Read(ref _newRawBytes);
    public long NewStoredBytes => Interlocked.Read(ref _newStoredBytes);

    private BlockStore(StoreLayout layout, ArenaSet arenas, BlockIndex index)
    {
        _layout = layout; _arenas = arenas; _index = index;
    }

    public ArenaSet Arenas => _arenas;
    public BlockIndex Index => _index;

    public static BlockStore OpenReader(StoreLayout layout) =>
        new(layout, new ArenaSet(layout.Arenas), new BlockIndex(layout.Index));

    /// <summary>
    /// Opens for writing (the caller holds the writer lock). Records appended after the index watermark by a
    /// process that died are indexed again; a torn record at the very end is cut off. `arenaFloor` and `freshArena`
    /// are for a bucket store: it appends from arenaFloor on (below are sealed arenas in the bucket, or other hosts'),
    /// and each writer starts a new arena, never appending to one a crashed writer may have uploaded already.
    /// </summary>
    public static BlockStore OpenWriter(StoreLayout layout, long arenaSize, RecordCodecs codecs, uint arenaFloor = 0, bool freshArena = false)
    {
        var store = OpenReader(layout);
        store._codecs = codecs;
        try
        {
            store._index.RemoveOrphanSegments();
            var (arena, end) = store.RecoverTail(arenaFloor);
            if (freshArena && end > ArenaFormat.HeaderSize)
            {
                // Cut a torn tail off the last arena now (its next writer would have), then start the next one.
                using (var f = StoreFiles.Open(store._arenas.PathOf(arena), FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                    if (f.Length > end) { f.SetLength(end); f.Flush(true); }
                (arena, end) = (arena + 1, 0);
            }
            store._writer = new ArenaWriter(store._arenas, arenaSize, arena, end);
            return store;
        }
        catch { store.Dispose(); throw; }
    }

    // `floor`: the first arena this writer may append to. A bucket store's arenas below it are sealed and in the
    // bucket (their local files may be gone: evicted to the bucket), and other hosts' arenas are not this writer's.
    private (uint Arena, long End) RecoverTail(uint floor)
    {
        var m = _index.Manifest;
        // Only appended arenas: the writer never appends to a compacted one, and a compacted arena that no index
        // names yet belongs to a garbage collection still copying (or interrupted), never to be indexed from here.
        var numbers = _arenas.ListAppended().Where(n => n >= floor).ToList();
        uint last = numbers.Count == 0 ? floor : numbers[^1];
        if (floor > 0 && m.WatermarkArena < floor) m = m with { WatermarkArena = floor, WatermarkOffset = 0 };
        // The index says arena W holds data up to offset O: a missing or shorter W is damage, never a place to append.
        if (m.WatermarkOffset > ArenaFormat.HeaderSize)
        {
            string w = _arenas.PathOf(m.WatermarkArena);
            long length = File.Exists(w) ? new FileInfo(w).Length : -1;
            if (length < 0 && last < m.WatermarkArena)
                throw new StoreFormatException(w, "the arena is missing, but the index says it holds blocks; the store is damaged (`timetravel index rebuild` re-indexes what is left)");
            if (length >= 0 && length < m.WatermarkOffset)
                throw new StoreFormatException(w, $"the arena has {length} bytes, but the index says {m.WatermarkOffset} are committed; the store is damaged (`timetravel index rebuild` re-indexes what is left)");
        }
        long end = ArenaFormat.HeaderSize;
        foreach (uint n in numbers.Where(n => n >= m.WatermarkArena))
        {
            string path = _arenas.PathOf(n);
            if (new FileInfo(path).Length >= ArenaFormat.HeaderSize) ArenaHeader.Read(path, n);
            var result = new ScanResult();
            long start = n == m.WatermarkArena ? m.WatermarkOffset : 0;
            foreach (var rec in ArenaScanner.Scan(path, start, result))
                _index.Add(rec.Header.Score, rec.Location(n));
            end = result.ValidEnd;
        }
        return (last, end);
    }

    public bool Contains(in Score score) => _index.Contains(score) || _inflight.ContainsKey(score);

    // Blocks found stored already, in arenas this writer did not write, when Reused is being kept (a bucket store:
    // a garbage collection on another host may condemn such an arena while this writer runs; see BucketStore.Push).
    private System.Collections.Concurrent.ConcurrentDictionary<Score, uint>? _reused;
    private uint _firstOwnArena = uint.MaxValue;

    /// <summary>Starts noting which stored blocks this writer reuses (from here on, arenas from the current one are its own).</summary>
    public void KeepReused()
    {
        _reused = new();
        _firstOwnArena = AppendingArena;
    }

    /// <summary>The reused blocks and their arenas, when kept.</summary>
    public IReadOnlyDictionary<Score, uint> Reused => _reused ?? (IReadOnlyDictionary<Score, uint>)new Dictionary<Score, uint>();

    private void NoteReuse(in Score score)
    {
        if (_reused is null) return;
        if (_index.TryGet(score, out var loc) && (loc.Arena < _firstOwnArena || BucketKeysSlot(loc.Arena) != BucketKeysSlot(_firstOwnArena)))
            _reused.TryAdd(score, loc.Arena);
    }

    private static uint BucketKeysSlot(uint arena) => Bucket.BucketKeys.SlotOf(arena);

    /// <summary>
    /// Copies a block's record, as it is, from where the index has it into this writer's arena: a block another
    /// host's garbage collection condemned while this writer reused it gets a copy that stays.
    /// </summary>
    public void CopyRecord(in Score score, in BlockLocation from)
    {
        if (_writer is null) throw new InvalidOperationException("the store was opened read-only");
        var record = _arenas.ReadRecord(from, score);
        lock (_appendLock) _index.Add(score, _writer.Append(record, from.RawLength));
    }

    /// <summary>
    /// An arena filled up and the writer went on to the next (its records are handed to the kernel, not yet fsynced):
    /// a bucket store starts uploading it while the snapshot goes on. Called outside the append lock.
    /// </summary>
    public event Action<uint>? ArenaSealed;

    /// <summary>The arena the writer appends to (the open one; every arena below it of this writer is complete).</summary>
    public uint AppendingArena
    {
        get { lock (_appendLock) return _writer?.NextAppendArena ?? uint.MaxValue; }
    }

    /// <summary>Commits, then makes the open arena final: the next block starts a new arena (a bucket store uploads the sealed one).</summary>
    public void Seal()
    {
        if (_writer is null) return;
        lock (_appendLock)
        {
            CommitLocked();
            _writer.Seal();
        }
    }

    /// <summary>Stores content under its score unless a block with that score exists; returns the score.</summary>
    public Score Put(ReadOnlySpan<byte> content, BlockType type)
    {
        var score = Score.Of(content);
        Put(content, score, type);
        return score;
    }

    public void Put(ReadOnlySpan<byte> content, in Score score, BlockType type)
    {
        if (_writer is null) throw new InvalidOperationException("the store was opened read-only");
        if (_index.Contains(score)) { NoteReuse(score); return; }
        var done = new ManualResetEventSlim(false);
        if (!_inflight.TryAdd(score, done)) return; // another thread is storing the same content right now
        byte[]? buffer = null;
        try
        {
            if (_index.Contains(score)) return;
            buffer = ArrayPool<byte>.Shared.Rent(BlockRecord.Capacity(content.Length));
            int length = BlockRecord.Pack(content, score, type, buffer, _codecs);
            uint sealedArena = uint.MaxValue;
            lock (_appendLock)
            {
                uint before = _writer.CurrentArena;
                // Indexed under the append lock, so a commit (which holds it) sees every record appended before it.
                _index.Add(score, _writer.Append(buffer.AsSpan(0, length), (uint)content.Length));
                if (_writer.CurrentArena != before) sealedArena = before;
                // Memory stays bounded however large the snapshot: past the bound, commit now (blocks durable first,
                // then the segment and the manifest). No snapshot names these blocks until its catalog record exists.
                if (_index.PendingFull) CommitLocked();
            }
            if (sealedArena != uint.MaxValue) ArenaSealed?.Invoke(sealedArena);
            Interlocked.Increment(ref _newBlocks);
            Interlocked.Add(ref _newRawBytes, content.Length);
            Interlocked.Add(ref _newStoredBytes, length);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            _inflight.TryRemove(score, out _);
            done.Set();
        }
    }

    public byte[] Get(in Score score)
    {
        if (!_index.TryGet(score, out var loc))
        {
            if (_inflight.TryGetValue(score, out var ev)) { ev.Wait(); if (_index.TryGet(score, out loc)) return Read(loc, score); }
            throw new BlockNotFoundException(score, _layout.Root);
        }
        return Read(loc, score);
    }

    public (byte[] Buffer, int Length, bool Pooled) Rent(in Score score, ArrayPool<byte> pool)
    {
        if (!_index.TryGet(score, out var loc))
        {
            var content = Get(score); // in flight, or missing: Get waits or throws
            return (content, content.Length, false);
        }
        if (_writer is not null) lock (_appendLock) _writer.FlushFor(loc);
        byte[] buffer = pool.Rent((int)loc.RawLength);
        try { _arenas.Read(loc, score, VerifyScoresOnRead, buffer.AsSpan(0, (int)loc.RawLength)); }
        catch (BlockReadException) when (Moved(score, loc, out var moved))
        {
            pool.Return(buffer);
            buffer = pool.Rent((int)moved.RawLength);
            try { _arenas.Read(moved, score, VerifyScoresOnRead, buffer.AsSpan(0, (int)moved.RawLength)); }
            catch { pool.Return(buffer); throw; }
            return (buffer, (int)moved.RawLength, true);
        }
        catch { pool.Return(buffer); throw; }
        return (buffer, (int)loc.RawLength, true);
    }

    public void Prefetch(IReadOnlyList<Score> scores)
    {
        var locations = new List<BlockLocation>(scores.Count);
        foreach (var s in scores)
            if (_index.TryGet(s, out var loc)) locations.Add(loc);
        if (_writer is not null) lock (_appendLock) foreach (var l in locations) _writer.FlushFor(l);
        _arenas.Prefetch(locations);
    }

    private byte[] Read(in BlockLocation loc, in Score score)
    {
        // The writer may read a block it put since the last commit: it can still sit in the arena's write buffer.
        if (_writer is not null) lock (_appendLock) _writer.FlushFor(loc);
        try { return _arenas.Read(loc, score, VerifyScoresOnRead); }
        catch (BlockReadException) when (Moved(score, loc, out var moved)) { return _arenas.Read(moved, score, VerifyScoresOnRead); }
    }

    /// <summary>
    /// Reads an index entry's block, as verify does for every entry; a block that garbage collection moved meanwhile
    /// is read where the refreshed index now says it is.
    /// </summary>
    public byte[] ReadEntry(in IndexEntry entry, bool verifyScore)
    {
        try { return _arenas.Read(entry.Location, entry.Score, verifyScore); }
        catch (BlockReadException) when (Moved(entry.Score, entry.Location, out var moved)) { return _arenas.Read(moved, entry.Score, verifyScore); }
    }

    // A location that failed to read (its arena deleted, or not holding the block) may be one that garbage collection
    // has replaced since this process read the index: read the manifest again and look once more, before calling the
    // block damaged. A mount or `yesterday` holding an old location keeps answering with the right bytes.
    private bool Moved(in Score score, in BlockLocation old, out BlockLocation moved)
    {
        _arenas.Forget(old.Arena);
        _index.Refresh(force: true);
        return _index.TryGet(score, out moved) && moved != old;
    }

    public bool TryLocate(in Score score, out BlockLocation loc) => _index.TryGet(score, out loc);

    /// <summary>Makes every block put so far durable, then indexes it: blocks first, then the index.</summary>
    public void Commit()
    {
        if (_writer is null) return;
        lock (_appendLock) CommitLocked();
    }

    private void CommitLocked()
    {
        _writer!.Sync();
        _index.Commit(_writer.CurrentArena, _writer.CurrentEnd);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _index.Dispose();
        _arenas.Dispose();
    }
}
