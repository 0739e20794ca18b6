// Serves byte ranges of file streams to the mount: finds the leaves covering a range, copies from a small cache
// of decoded blocks, and on sequential reads fetches the next blocks in the background so decompression and
// checking overlap with the kernel's copying. The cache is bounded by bytes (blocks are up to a few MiB), and its
// buffers come from the array pool and go back to it (DecodedBlock).
using System.Buffers;
using System.Collections.Concurrent;
using TimeTravel.Store;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using StreamReader = TimeTravel.Store.Trees.StreamReader;

namespace TimeTravel.Fs.Snapshots;

public sealed class FileContentReader(IBlockSource blocks, StreamReader streams, long cachedBytes = 32 << 20, int readAhead = 4)
{
    private readonly BlockCache<DecodedBlock> _cache = BlockCache<DecodedBlock>.BoundedByBytes(cachedBytes, b => 48 + b.Length, b => b.Release());
    // A pool of its own, large enough to keep every buffer the cache and the reads in flight use (the shared pool
    // keeps only a few per size and lets the rest go to the collector, which hands back fresh pages).
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(maxArrayLength: 4 << 20, maxArraysPerBucket: (int)(cachedBytes >> 14) + 64);
    private readonly ConcurrentDictionary<Score, Task<DecodedBlock>> _loading = new();

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
                var block = Acquire(leaf.Score);
                try
                {
                    if (block.Length != leaf.Length) throw new InvalidDataException($"block {leaf.Score.Short} has {block.Length} bytes, its pointer says {leaf.Length}");
                    block.Content.Slice((int)within, take).CopyTo(dest.Slice(pos, take));
                }
                finally { block.Release(); }
            }
            pos += take;
            last = leaf;
        }
        ReadAhead(stream, last.Offset + last.Length);
        return n;
    }

    /// <summary>The decoded block with a reference taken for the caller, who releases it.</summary>
    private DecodedBlock Acquire(in Score score)
    {
        if (_cache.TryGet(score, out var cached) && cached.TryAcquire()) return cached;
        if (_loading.TryGetValue(score, out var pending) && pending.GetAwaiter().GetResult() is var loaded && loaded.TryAcquire()) return loaded;
        var block = Load(score);
        block.TryAcquire();      // ours; the cache keeps the first
        _cache.Add(score, block);
        return block;
    }

    private DecodedBlock Load(in Score score)
    {
        var (buffer, length, pooled) = blocks.Rent(score, _buffers);
        return new DecodedBlock(buffer, length, pooled ? _buffers : null);
    }

    // The next blocks of a sequential read: the disk is asked for the next `2 × readAhead` at once (in runs of
    // adjacent records, see ArenaSet.Prefetch), and the next `readAhead` are decoded in the background. Blocks
    // cached or already being decoded are left out of both.
    private void ReadAhead(StreamRef stream, long from)
    {
        var advise = new List<Score>(2 * readAhead);
        var decode = new List<Score>(readAhead);
        for (int i = 0; i < 2 * readAhead && from < stream.Length; i++)
        {
            var leaf = streams.LeafAt(stream, from);
            if (leaf is null) break;
            from = leaf.Value.Offset + leaf.Value.Length;
            var score = leaf.Value.Score;
            if (leaf.Value.IsHole || _loading.ContainsKey(score) || _cache.TryGet(score, out _)) continue;
            advise.Add(score);
            if (i < readAhead) decode.Add(score);
        }
        if (advise.Count == 0) return;
        blocks.Prefetch(advise);
        foreach (var score in decode)
        {
            var task = new Task<DecodedBlock>(() =>
            {
                try { var d = Load(score); _cache.Add(score, d); return d; }
                finally { _loading.TryRemove(score, out _); }
            });
            if (_loading.TryAdd(score, task)) task.Start();
        }
    }
}
