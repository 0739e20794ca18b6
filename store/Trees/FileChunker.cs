// Cuts a file's content into content-defined chunks and stores them, keeping holes as holes: only the data
// extents the filesystem reports (SEEK_DATA/SEEK_HOLE) are read.
using System.Buffers;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Chunking;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Trees;

public sealed class FileChunker(BlockStore store, ChunkerParameters parameters)
{
    private readonly FastCdc _cdc = new(parameters);

    /// <summary>Stores the content and returns its stream; `progress` is told each read's size. Returns the bytes actually read.</summary>
    public (StreamRef Stream, long BytesRead) Write(SafeFileHandle file, long size, byte[] pathForErrors, Action<long>? progress = null)
    {
        var builder = new StreamBuilder(store);
        long read = 0, covered = 0;
        int capacity = Math.Max(4 << 20, _cdc.MaxSize * 2);
        byte[] buf = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            foreach (var (extOffset, extLength) in PosixFs.DataExtents(file, size))
            {
                builder.AddHole(extOffset - covered);
                long pos = extOffset, remaining = extLength;
                int filled = 0;
                while (true)
                {
                    if (remaining > 0)
                    {
                        int want = (int)Math.Min(capacity - filled, remaining);
                        int n;
                        try { n = RandomAccess.Read(file, buf.AsSpan(filled, want), pos); }
                        catch (IOException e) { throw new IOException($"{PathBytes.Display(pathForErrors)}: read failed at offset {pos}: {e.Message}", e); }
                        if (n == 0) remaining = 0; // shrank while being read; the caller's stat check notices
                        filled += n; pos += n; remaining -= n; read += n;
                        progress?.Invoke(n);
                        // The disk fetches the next buffer while this one is cut, hashed and compressed.
                        if (remaining > 0) PosixFs.WillNeed(file, pos, Math.Min(remaining, capacity));
                    }
                    int start = 0;
                    while (filled - start >= _cdc.MaxSize || (remaining == 0 && filled > start))
                    {
                        int cut = _cdc.NextCut(buf.AsSpan(start, filled - start));
                        var chunk = buf.AsSpan(start, cut);
                        builder.AddData(store.Put(chunk, BlockType.Data), cut);
                        start += cut;
                    }
                    Buffer.BlockCopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    if (remaining == 0 && filled == 0) break;
                }
                covered = builder.Length;
            }
            builder.AddHole(size - builder.Length);
            return (builder.Finish(), read);
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    /// <summary>Stores bytes already in memory (encoded directories) as a stream.</summary>
    public StreamRef WriteBytes(ReadOnlySpan<byte> data, BlockType type)
    {
        var builder = new StreamBuilder(store);
        int start = 0;
        while (start < data.Length)
        {
            int cut = _cdc.NextCut(data[start..]);
            var chunk = data.Slice(start, cut);
            builder.AddData(store.Put(chunk, type), cut);
            start += cut;
        }
        return builder.Finish();
    }
}
