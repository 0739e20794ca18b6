// Copies live block records into new compacted arenas, byte for byte as stored (no recompression: the record's codec,
// checksum and score stay valid), and records each block's new location. The compacted arenas are written only here,
// fsynced before any index names them, and never appended to afterwards.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Collection;

public sealed class Compactor(ArenaSet arenas, uint firstArena, long arenaSize) : IDisposable
{
    private ArenaWriter? _writer;
    private uint _next = firstArena;
    private readonly byte[] _buffer = new byte[ArenaFormat.RecordHeaderSize + ArenaFormat.MaxBlockSize];

    public long CopiedBlocks { get; private set; }
    public long CopiedBytes { get; private set; }
    /// <summary>The arena being written (for messages), or none yet.</summary>
    public uint? CurrentArena => _writer?.CurrentArena;
    /// <summary>The number after the last compacted arena this compactor created (firstArena when none).</summary>
    public uint NextArena => _writer is null ? _next : _writer.CurrentArena + 1;

    /// <summary>Copies the live records of one victim arena, in arena order; <paramref name="isLive"/> says which.</summary>
    public void CopyLive(uint victim, Func<ScannedRecord, bool> isLive, Action<Score, BlockLocation> moved, Action<long>? progress = null)
    {
        string path = arenas.PathOf(victim);
        ArenaHeader.Read(path, victim);
        var scan = new ScanResult();
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        foreach (var rec in ArenaScanner.Scan(path, 0, scan))
        {
            if (isLive(rec)) moved(rec.Header.Score, Copy(handle, path, rec.Location(victim), rec.Header.Score));
            progress?.Invoke(ArenaFormat.RecordHeaderSize + rec.Header.StoredLength);
        }
    }

    /// <summary>Copies one record (a block revived during the switch).</summary>
    public BlockLocation Copy(in BlockLocation from, in Score score)
    {
        string path = arenas.PathOf(from.Arena);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Copy(handle, path, from, score);
    }

    private BlockLocation Copy(SafeFileHandle handle, string path, in BlockLocation from, in Score score)
    {
        var record = _buffer.AsSpan(0, from.RecordLength);
        if (RandomAccess.Read(handle, record, from.Offset) != record.Length)
            throw new BlockReadException(path, from.Offset, "record runs past the end of the arena");
        var header = BlockRecord.UnpackHeader(record);
        if (header is null || header.Value.Score != score || header.Value.StoredLength != from.StoredLength
            || BlockRecord.Checksum(record[..ArenaFormat.R_CHECKSUM], record[ArenaFormat.RecordHeaderSize..]) != header.Value.Checksum)
            throw new BlockReadException(path, from.Offset, $"block {score.Short} fails its checksum; gc copies only intact records");
        _writer ??= new ArenaWriter(arenas, arenaSize, _next, 0);
        var to = _writer.Append(record, from.RawLength);
        CopiedBlocks++;
        CopiedBytes += record.Length;
        return to;
    }

    /// <summary>Makes every copied record durable (the arenas and their directory).</summary>
    public void Sync() => _writer?.Sync();

    public void Dispose()
    {
        _next = NextArena;
        _writer?.Dispose();
        _writer = null;
    }
}
