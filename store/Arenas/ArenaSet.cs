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
        try { Read(Handle(loc.Arena), loc, expected, verifyScore, content); }
        catch (ObjectDisposedException) { Read(Handle(loc.Arena), loc, expected, verifyScore, content); } // closed by a sweep just now
    }

    private void Read(SafeFileHandle handle, BlockLocation loc, Score expected, bool verifyScore, Span<byte> content)
    {
        string Where() => PathOf(loc.Arena);
        content = content[..(int)loc.RawLength];
        // A block stored raw (stored length = raw length; compression never yields that) is read straight into the
        // caller's buffer, header first, then payload: no copy through a record buffer. Others are read whole.
        bool raw = loc.StoredLength == loc.RawLength;
        byte[]? rented = raw ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(loc.RecordLength);
        try
        {
            Span<byte> head = stackalloc byte[ArenaFormat.RecordHeaderSize];
            var record = raw ? head : rented.AsSpan(0, loc.RecordLength);
            if (RandomAccess.Read(handle, record, loc.Offset) != record.Length
                || raw && RandomAccess.Read(handle, content, loc.Offset + ArenaFormat.RecordHeaderSize) != content.Length)
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
