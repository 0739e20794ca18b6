// Walks the records of one arena in order, as `index rebuild` and crash recovery do: the arenas alone say what is stored.
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Store.Arenas;

public readonly record struct ScannedRecord(long Offset, RecordHeader Header)
{
    public BlockLocation Location(uint arena) => new(arena, (uint)Offset, Header.StoredLength, Header.RawLength);
}

/// <summary>How a scan ended: where valid data stops, and whether the bytes after it are a torn append.</summary>
public sealed class ScanResult
{
    public long ValidEnd { get; set; }
    public bool TornTail { get; set; }
    /// <summary>Damaged regions in the middle (start offset, bytes skipped) that valid records follow.</summary>
    public List<(long Offset, long Length)> Corrupt { get; } = [];
}

public static class ArenaScanner
{
    /// <summary>
    /// Yields every valid record from `start` on. A bad record followed by valid ones is damage: it is reported in
    /// result.Corrupt and the scan resynchronises on the next valid record. Bad bytes with no valid record after
    /// them are a torn tail from a crash mid-append (result.TornTail, result.ValidEnd where they begin).
    /// </summary>
    public static IEnumerable<ScannedRecord> Scan(string path, long start, ScanResult result)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(handle);
        long offset = Math.Max(start, ArenaFormat.HeaderSize);
        var buffer = new byte[ArenaFormat.RecordHeaderSize + ArenaFormat.MaxBlockSize];
        result.ValidEnd = offset;
        while (offset < length)
        {
            var rec = TryRead(handle, offset, length, buffer);
            if (rec is null)
            {
                long next = Resync(handle, offset + 1, length, buffer);
                if (next < 0) { result.TornTail = true; yield break; }
                result.Corrupt.Add((offset, next - offset));
                offset = next;
                continue;
            }
            yield return new ScannedRecord(offset, rec.Value);
            offset += ArenaFormat.RecordHeaderSize + rec.Value.StoredLength;
            result.ValidEnd = offset;
        }
    }

    private static RecordHeader? TryRead(SafeFileHandle handle, long offset, long length, byte[] buffer)
    {
        if (length - offset < ArenaFormat.RecordHeaderSize) return null;
        RandomAccess.Read(handle, buffer.AsSpan(0, ArenaFormat.RecordHeaderSize), offset);
        var h = BlockRecord.UnpackHeader(buffer);
        if (h is null) return null;
        int recordLength = ArenaFormat.RecordHeaderSize + (int)h.Value.StoredLength;
        if (offset + recordLength > length) return null;
        var rec = buffer.AsSpan(0, recordLength);
        RandomAccess.Read(handle, rec, offset);
        if (BlockRecord.Checksum(rec[..ArenaFormat.R_CHECKSUM], rec[ArenaFormat.RecordHeaderSize..]) != h.Value.Checksum) return null;
        return h;
    }

    // Looks for the next offset holding a whole valid record; -1 when none follows.
    private static long Resync(SafeFileHandle handle, long from, long length, byte[] buffer)
    {
        var window = new byte[1 << 20];
        for (long pos = from; pos + ArenaFormat.RecordHeaderSize <= length; pos += window.Length - 3)
        {
            int n = RandomAccess.Read(handle, window, pos);
            for (int i = 0; i + 4 <= n; i++)
            {
                if (window[i] != (byte)'T' || window[i + 1] != (byte)'T' || window[i + 2] != (byte)'B' || window[i + 3] != (byte)'K') continue;
                if (TryRead(handle, pos + i, length, buffer) is not null) return pos + i;
            }
            if (n < window.Length) break;
        }
        return -1;
    }
}
