// The arenas of a store: read access by location for any number of readers, and the one appender.
using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Arenas;

public sealed class ArenaSet : IDisposable
{
    private readonly string _dir;
    private readonly ConcurrentDictionary<uint, SafeFileHandle> _readers = new();

    public ArenaSet(string dir) { _dir = dir; }

    /// <summary>Where arenas with no local file are read from (a bucket store's sealed arenas); null: nowhere.</summary>
    public IArenaSource? Remote { get; set; }

    // Arenas found to have no local file, whose header was checked through Remote.
    private readonly ConcurrentDictionary<uint, bool> _remoteChecked = new();

    public string Directory => _dir;
    public string PathOf(uint number) => Path.Combine(_dir, ArenaFormat.FileName(number));

    /// <summary>Arena numbers present on disk, ascending: the appended arenas, then the compacted ones (from
    /// <see cref="ArenaFormat.FirstCompactedArena"/>), which are not one sequence with them.</summary>
    public List<uint> List()
    {
        var numbers = new List<uint>();
        foreach (var f in System.IO.Directory.EnumerateFiles(_dir, "*.arena"))
            if (uint.TryParse(Path.GetFileNameWithoutExtension(f), out uint n)) numbers.Add(n);
        numbers.Sort();
        return numbers;
    }

    /// <summary>The appended arenas only (the writer's sequence: the newest is the one it appends to).</summary>
    public List<uint> ListAppended() => List().Where(n => !ArenaFormat.IsCompacted(n)).ToList();

    // Handles of arenas that garbage collection has deleted keep the file's space allocated until closed, so a
    // long-lived reader (the mount) looks every few seconds for cached arenas whose file is gone and closes them. A
    // read that was using one retries with a fresh handle, finds the file missing, and its caller re-resolves the block.
    private long _nextSweep = Environment.TickCount64 + SweepIntervalMs;
    private const long SweepIntervalMs = 5000;

    private void SweepDeleted()
    {
        long now = Environment.TickCount64;
        if (now < Interlocked.Read(ref _nextSweep)) return;
        Interlocked.Exchange(ref _nextSweep, now + SweepIntervalMs);
        foreach (var a in _readers.Keys)
            if (!File.Exists(PathOf(a)) && _readers.TryRemove(a, out var h)) h.Dispose();
    }

    /// <summary>Closes the handle of an arena whose file is gone (deleted by garbage collection).</summary>
    public void Forget(uint arena)
    {
        if (!File.Exists(PathOf(arena)) && _readers.TryRemove(arena, out var h)) h.Dispose();
        if (_remoteChecked.TryRemove(arena, out _)) Remote?.Forget(arena);
    }

    /// <summary>Where the arena is read from: its local file, or its place in the bucket when it has none.</summary>
    public string WhereIs(uint arena) =>
        Remote is not null && (_remoteChecked.ContainsKey(arena) || !File.Exists(PathOf(arena))) ? Remote.Where(arena) : PathOf(arena);

    // An arena with no local file, read through Remote; its header is checked once, as for a local file.
    private bool IsRemote(uint arena)
    {
        if (Remote is null) return false;
        if (_remoteChecked.ContainsKey(arena)) return true;
        if (_readers.ContainsKey(arena) || File.Exists(PathOf(arena))) return false;
        var h = new byte[ArenaFormat.HeaderSize];
        string where = Remote.Where(arena);
        int n = Remote.ReadAt(arena, 0, h);
        if (n == 0) throw new BlockReadException(where, 0, "arena is missing (no local file, and not in the bucket)");
        if (n < h.Length) throw new BlockReadException(where, 0, $"shorter than an arena header ({n} of {ArenaFormat.HeaderSize} bytes)");
        try
        {
            var header = ArenaHeader.Unpack(h, where);
            if (header.Number != arena) throw new StoreFormatException(where, $"the header says arena {header.Number}, the key {arena}");
        }
        catch (StoreFormatException e) { throw new BlockReadException(where, 0, e.Problem); }
        _remoteChecked[arena] = true;
        return true;
    }

    // A handle is cached only once its header has been checked: a foreign, newer or renamed file is never read as records.
    private SafeFileHandle Handle(uint arena) => _readers.GetOrAdd(arena, a =>
    {
        string path = PathOf(a);
        SafeFileHandle handle;
        try { handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { throw new BlockReadException(path, 0, "arena file is missing"); }
        try { ArenaHeader.Read(handle, path, a); }
        catch (StoreFormatException e) { handle.Dispose(); throw new BlockReadException(path, 0, e.Problem); }
        return handle;
    });

    /// <summary>Starts reading the records at these locations into the page cache, one request per run of adjacent
    /// records: many small reads issued at once from several threads defeat the kernel's own read-ahead.</summary>
    public void Prefetch(IReadOnlyList<BlockLocation> locations)
    {
        try { PrefetchCore(locations); }
        catch (Exception e) when (e is BlockReadException or ObjectDisposedException) { } // a hint only: the read itself re-resolves
    }

    private void PrefetchCore(IReadOnlyList<BlockLocation> locations)
    {
        foreach (var group in locations.GroupBy(l => l.Arena))
        {
            if (IsRemote(group.Key)) continue; // the range cache reads ahead itself
            long start = -1, end = -1;
            foreach (var l in group.OrderBy(l => l.Offset))
            {
                long s = l.Offset, e = l.Offset + (long)l.RecordLength;
                if (start >= 0 && s <= end + (64 << 10)) { end = Math.Max(end, e); continue; } // a small gap is cheaper read than skipped
                if (start >= 0) PosixFs.WillNeed(Handle(group.Key), start, end - start);
                start = s; end = e;
            }
            if (start >= 0) PosixFs.WillNeed(Handle(group.Key), start, end - start);
        }
    }

    /// <summary>Reads, checks and decodes one block into a new array. Throws BlockReadException naming the arena on damage.</summary>
    public byte[] Read(BlockLocation loc, Score expected, bool verifyScore)
    {
        var content = new byte[loc.RawLength];
        Read(loc, expected, verifyScore, content);
        return content;
    }

    public void Read(BlockLocation loc, Score expected, bool verifyScore, Span<byte> content)
    {
        SweepDeleted();
        if (IsRemote(loc.Arena))
        {
            var remote = Remote!;
            Read(new ArenaBytes(null, remote, loc.Arena), loc, expected, verifyScore, content);
            return;
        }
        try { Read(new ArenaBytes(Handle(loc.Arena), null, loc.Arena), loc, expected, verifyScore, content); }
        catch (ObjectDisposedException) { Read(new ArenaBytes(Handle(loc.Arena), null, loc.Arena), loc, expected, verifyScore, content); } // closed by a sweep just now
    }

    /// <summary>A block's whole record (header and stored payload), checked; for copying it as it is.</summary>
    public byte[] ReadRecord(BlockLocation loc, Score expected)
    {
        var content = new byte[loc.RawLength];
        Read(loc, expected, verifyScore: true, content); // checks the record first
        var record = new byte[loc.RecordLength];
        int n = IsRemote(loc.Arena) ? new ArenaBytes(null, Remote, loc.Arena).Read(record, loc.Offset)
            : new ArenaBytes(Handle(loc.Arena), null, loc.Arena).Read(record, loc.Offset);
        if (n != record.Length) throw new BlockReadException(WhereIs(loc.Arena), loc.Offset, "record runs past the end of the arena");
        return record;
    }

    // The bytes of one arena: its local file, or its object in the bucket.
    private readonly ref struct ArenaBytes(SafeFileHandle? local, IArenaSource? remote, uint arena)
    {
        private readonly SafeFileHandle? _local = local;
        private readonly IArenaSource? _remote = remote;
        private readonly uint _arena = arena;
        public int Read(Span<byte> into, long offset) => _local is not null ? RandomAccess.Read(_local, into, offset) : _remote!.ReadAt(_arena, offset, into);
    }

    private void Read(ArenaBytes handle, BlockLocation loc, Score expected, bool verifyScore, Span<byte> content)
    {
        string Where() => WhereIs(loc.Arena);
        content = content[..(int)loc.RawLength];
        // A block stored raw (stored length = raw length; compression never yields that) is read straight into the
        // caller's buffer, header first, then payload: no copy through a record buffer. Others are read whole.
        bool raw = loc.StoredLength == loc.RawLength;
        byte[]? rented = raw ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(loc.RecordLength);
        try
        {
            Span<byte> head = stackalloc byte[ArenaFormat.RecordHeaderSize];
            var record = raw ? head : rented.AsSpan(0, loc.RecordLength);
            if (handle.Read(record, loc.Offset) != record.Length
                || raw && handle.Read(content, loc.Offset + ArenaFormat.RecordHeaderSize) != content.Length)
                throw new BlockReadException(Where(), loc.Offset, "record runs past the end of the arena");
            var header = BlockRecord.UnpackHeader(record);
            if (header is null || header.Value.Score != expected || header.Value.StoredLength != loc.StoredLength
                || raw && header.Value.Codec != ArenaFormat.CodecRaw)
                throw new BlockReadException(Where(), loc.Offset, $"record header does not match block {expected.Short}");
            bool intact = raw
                ? BlockRecord.Checksum(head[..ArenaFormat.R_CHECKSUM], content) == header.Value.Checksum
                : BlockRecord.TryUnpack(record, header.Value, content);
            if (!intact) throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} fails its checksum");
            if (verifyScore && Score.Of(content) != expected)
                throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} content does not match its score");
        }
        finally { if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented); }
    }

    public void Dispose()
    {
        foreach (var h in _readers.Values) h.Dispose();
        _readers.Clear();
    }
}
