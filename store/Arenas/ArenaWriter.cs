// The one appender of a store: appends block records to the current arena, seals it when full, syncs on demand.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Arenas;

public sealed class ArenaWriter : IDisposable
{
    private readonly ArenaSet _set;
    private readonly long _maxSize;
    private FileStream? _stream;
    private uint _number;
    private long _position;
    private long _flushedEnd; // bytes of the current arena handed to the kernel; readers see up to here
    private readonly List<FileStream> _sealedUnsynced = [];
    private bool _sealed; // the current arena takes no more records: the next append starts the next arena

    /// <summary>Opens arena `number` for appending at `validEnd` (cutting off a torn tail), or creates it when absent.</summary>
    public ArenaWriter(ArenaSet set, long maxSize, uint number, long validEnd)
    {
        _set = set;
        _maxSize = maxSize;
        Open(number, validEnd);
    }

    public uint CurrentArena => _number;
    /// <summary>The arena the next append goes to (past the current one once it is sealed).</summary>
    public uint NextAppendArena => _sealed ? _number + 1 : _number;
    public long CurrentEnd => _position;

    private void Open(uint number, long validEnd)
    {
        string path = _set.PathOf(number);
        bool exists = File.Exists(path);
        var stream = StoreFiles.Open(path, exists ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete, 1 << 20, FileOptions.None);
        try
        {
            if (!exists || stream.Length < ArenaFormat.HeaderSize)
            {
                stream.SetLength(0);
                stream.Write(new ArenaHeader(number, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (ulong)_maxSize).Pack());
                _position = ArenaFormat.HeaderSize;
                _flushedEnd = 0;
            }
            else
            {
                ArenaHeader.Read(stream.SafeFileHandle, path, number); // never append to a foreign, newer or renamed file
                if (stream.Length > validEnd) stream.SetLength(validEnd); // a torn append from a crash; nothing refers to it
                _position = Math.Max(validEnd, ArenaFormat.HeaderSize);
                stream.Position = _position;
                _flushedEnd = _position;
            }
        }
        catch (IOException e) { stream.Dispose(); throw Full(path, e); }
        catch { stream.Dispose(); throw; }
        _stream = stream;
        _number = number;
    }

    /// <summary>Appends a packed record; the caller serialises calls. The block is durable only after Sync.</summary>
    public BlockLocation Append(ReadOnlySpan<byte> record, uint rawLength)
    {
        if (_sealed || _position + record.Length > _maxSize && _position > ArenaFormat.HeaderSize)
        {
            _sealed = false;
            _stream!.Flush();
            _sealedUnsynced.Add(_stream);
            Open(_number + 1, 0);
        }
        long offset = _position;
        try { _stream!.Write(record); }
        catch (IOException e) { throw Full(_set.PathOf(_number), e); }
        _position += record.Length;
        return new BlockLocation(_number, (uint)offset, (uint)(record.Length - ArenaFormat.RecordHeaderSize), rawLength);
    }

    /// <summary>
    /// Makes the current arena durable and final (a bucket store uploads it next): the next append starts a new one.
    /// An arena holding no record yet stays open. Returns the number of the arena appends go to from now on.
    /// </summary>
    public uint Seal()
    {
        if (_position <= ArenaFormat.HeaderSize) return _number;
        Sync();
        _sealed = true;
        return _number + 1;
    }

    /// <summary>
    /// Hands buffered records to the kernel (no fsync) when `loc` lies among them, so this process can read back a
    /// block it put before the next Sync. The caller serialises calls with Append.
    /// </summary>
    public void FlushFor(in BlockLocation loc)
    {
        if (loc.Arena != _number || loc.Offset + (long)loc.RecordLength <= _flushedEnd) return;
        try { _stream!.Flush(); }
        catch (IOException e) { throw Full(_set.PathOf(_number), e); }
        _flushedEnd = _position;
    }

    /// <summary>Makes every appended block durable (fsync of the current and any arena sealed since the last sync).</summary>
    public void Sync()
    {
        try
        {
            foreach (var s in _sealedUnsynced) { s.Flush(true); s.Dispose(); }
            _sealedUnsynced.Clear();
            _stream!.Flush(true);
            _flushedEnd = _position;
        }
        catch (IOException e) { throw Full(_set.PathOf(_number), e); }
        PosixFs.FsyncDirectory(_set.Directory);
    }

    private static IOException Full(string path, IOException e) =>
        e.HResult == 28 || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase)
            ? new IOException($"{path}: disk full while writing the arena (No space left on device)", e)
            : new IOException($"{path}: {e.Message}", e);

    public void Dispose()
    {
        foreach (var s in _sealedUnsynced) { try { s.Dispose(); } catch (IOException) { } }
        try { _stream?.Dispose(); } catch (IOException) { } // an unsynced tail is cut off by the next writer
        _stream = null;
    }
}
