// Serves byte ranges of file streams to the mount: finds the leaves covering a range, copies from a small cache
// of decoded blocks, and on sequential reads fetches the next blocks in the background so decompression and
// checking overlap with the kernel's copying. The cache is bounded by bytes (blocks are up to a few MiB).
using System.Collections.Concurrent;
using TimeTravel.Store;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using StreamReader = TimeTravel.Store.Trees.StreamReader;

namespace TimeTravel.Fs.Snapshots;

public sealed class FileContentReader(IBlockSource blocks, StreamReader streams, long cachedBytes = 32 << 20, int readAhead = 4)
{
    private readonly BlockCache<byte[]> _cache = BlockCache<byte[]>.BoundedByBytes(cachedBytes, b => 24 + b.Length);
    private readonly ConcurrentDictionary<Score, Task<byte[]>> _loading = new();

    /// <summary>Fills dest from offset; returns bytes read (less than dest.Length only at the end of the stream).</summary>
    public int Read(StreamRef stream, long offset, Span<byte> dest)
    {
        if (offset >= stream.Length) return 0;
        int n = (int)Math.Min(dest.Length, stream.Length - offset);
        int pos = 0;
        StreamLeaf last = default;
        while (pos < n)
        {
            var leaf = streams.LeafAt(stream, offset + pos) ?? throw new InvalidDataException($"stream {stream} ends before offset {offset + pos}");
            long within = offset + pos - leaf.Offset;
            int take = (int)Math.Min(leaf.Length - within, n - pos);
            if (leaf.IsHole) dest.Slice(pos, take).Clear();
            else
            {
                var data = Block(leaf.Score);
                if (data.Length != leaf.Length) throw new InvalidDataException($"block {leaf.Score.Short} has {data.Length} bytes, its pointer says {leaf.Length}");
                data.AsSpan((int)within, take).CopyTo(dest.Slice(pos, take));
            }
            pos += take;
            last = leaf;
        }
        ReadAhead(stream, last.Offset + last.Length);
        return n;
    }

    private byte[] Block(in Score score)
    {
        if (_cache.TryGet(score, out var data)) return data;
        if (_loading.TryGetValue(score, out var pending)) return pending.GetAwaiter().GetResult();
        data = blocks.Get(score);
        _cache.Add(score, data);
        return data;
    }

    private void ReadAhead(StreamRef stream, long from)
    {
        for (int i = 0; i < readAhead && from < stream.Length; i++)
        {
            var leaf = streams.LeafAt(stream, from);
            if (leaf is null) return;
            from = leaf.Value.Offset + leaf.Value.Length;
            if (leaf.Value.IsHole) continue;
            var score = leaf.Value.Score;
            if (_cache.TryGet(score, out _)) continue;
            var task = new Task<byte[]>(() =>
            {
                try { var d = blocks.Get(score); _cache.Add(score, d); return d; }
                finally { _loading.TryRemove(score, out _); }
            });
            if (_loading.TryAdd(score, task)) task.Start();
        }
    }
}
