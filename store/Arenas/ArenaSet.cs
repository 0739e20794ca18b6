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
        var handle = Handle(loc.Arena);
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
