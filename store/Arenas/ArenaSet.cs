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

    /// <summary>Arena numbers present on disk, ascending.</summary>
    public List<uint> List()
    {
        var numbers = new List<uint>();
        foreach (var f in System.IO.Directory.EnumerateFiles(_dir, "*.arena"))
            if (uint.TryParse(Path.GetFileNameWithoutExtension(f), out uint n)) numbers.Add(n);
        numbers.Sort();
        return numbers;
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
        string Where() => PathOf(loc.Arena);
        if (loc.StoredLength == loc.RawLength) { ReadRaw(loc, expected, verifyScore, content); return; }
        byte[] record = System.Buffers.ArrayPool<byte>.Shared.Rent(loc.RecordLength);
        try
        {
            var span = record.AsSpan(0, loc.RecordLength);
            int n = RandomAccess.Read(Handle(loc.Arena), span, loc.Offset);
            if (n != span.Length) throw new BlockReadException(Where(), loc.Offset, "record runs past the end of the arena");
            var header = BlockRecord.UnpackHeader(span);
            if (header is null || header.Value.Score != expected || header.Value.StoredLength != loc.StoredLength)
                throw new BlockReadException(Where(), loc.Offset, $"record header does not match block {expected.Short}");
            if (!BlockRecord.TryUnpack(span, header.Value, content))
                throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} fails its checksum");
            if (verifyScore && Score.Of(content[..(int)loc.RawLength]) != expected)
                throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} content does not match its score");
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(record); }
    }

    // A block stored raw (stored length = raw length; compression never yields that) is read straight into the
    // caller's buffer: the header first, then the payload, both usually from the page cache. No copy in between.
    private void ReadRaw(BlockLocation loc, Score expected, bool verifyScore, Span<byte> content)
    {
        string Where() => PathOf(loc.Arena);
        Span<byte> head = stackalloc byte[ArenaFormat.RecordHeaderSize];
        var payload = content[..(int)loc.RawLength];
        var handle = Handle(loc.Arena);
        if (RandomAccess.Read(handle, head, loc.Offset) != head.Length
            || RandomAccess.Read(handle, payload, loc.Offset + ArenaFormat.RecordHeaderSize) != payload.Length)
            throw new BlockReadException(Where(), loc.Offset, "record runs past the end of the arena");
        var header = BlockRecord.UnpackHeader(head);
        if (header is null || header.Value.Score != expected || header.Value.StoredLength != loc.StoredLength
            || header.Value.Codec != ArenaFormat.CodecRaw)
            throw new BlockReadException(Where(), loc.Offset, $"record header does not match block {expected.Short}");
        if (BlockRecord.Checksum(head[..ArenaFormat.R_CHECKSUM], payload) != header.Value.Checksum)
            throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} fails its checksum");
        if (verifyScore && Score.Of(payload) != expected)
            throw new BlockReadException(Where(), loc.Offset, $"block {expected.Short} content does not match its score");
    }

    public void Dispose()
    {
        foreach (var h in _readers.Values) h.Dispose();
        _readers.Clear();
    }
}
