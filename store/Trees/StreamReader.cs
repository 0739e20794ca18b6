// Reads streams back: sequentially leaf by leaf (cat, restore, verify) or at any offset (the mount).
// Pointer blocks are small and reused, so they are cached; data blocks are not.
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public readonly record struct StreamLeaf(long Offset, long Length, Score Score, bool IsHole);

public sealed class StreamReader(IBlockSource blocks, BlockCache<PointerEntry[]>? pointerCache = null)
{
    private readonly BlockCache<PointerEntry[]> _pointers = pointerCache ?? new BlockCache<PointerEntry[]>(4096);

    public IBlockSource Blocks => blocks;

    public PointerEntry[] Pointers(in Score score)
    {
        if (_pointers.TryGet(score, out var p)) return p;
        var s = score;
        p = PointerBlock.Unpack(blocks.Get(s), s);
        _pointers.Add(s, p);
        return p;
    }

    /// <summary>Every leaf in order, holes included.</summary>
    public IEnumerable<StreamLeaf> Leaves(StreamRef stream)
    {
        if (stream.IsEmpty) yield break;
        if (stream.Depth == 0) { yield return new StreamLeaf(0, stream.Length, stream.Root, false); yield break; }
        long offset = 0;
        foreach (var leaf in LeavesOf(stream.Root, stream.Depth)) { yield return leaf with { Offset = offset }; offset += leaf.Length; }
    }

    private IEnumerable<StreamLeaf> LeavesOf(Score pointer, int depth)
    {
        foreach (var e in Pointers(pointer))
        {
            if (e.Kind == PointerKind.Hole) yield return new StreamLeaf(0, e.Length, Score.Zero, true);
            else if (depth == 1) yield return new StreamLeaf(0, e.Length, e.Score, false);
            else foreach (var l in LeavesOf(e.Score, depth - 1)) yield return l;
        }
    }

    /// <summary>The leaf that holds `offset`, found by descending the tree; null past the end.</summary>
    public StreamLeaf? LeafAt(StreamRef stream, long offset)
    {
        if (offset < 0 || offset >= stream.Length) return null;
        if (stream.Depth == 0) return new StreamLeaf(0, stream.Length, stream.Root, false);
        var score = stream.Root;
        long baseOffset = 0;
        for (int depth = stream.Depth; ; depth--)
        {
            var entries = Pointers(score);
            int i = 0;
            while (i < entries.Length - 1 && baseOffset + entries[i].Length <= offset) { baseOffset += entries[i].Length; i++; }
            var e = entries[i];
            if (e.Kind == PointerKind.Hole) return new StreamLeaf(baseOffset, e.Length, Score.Zero, true);
            if (depth == 1) return new StreamLeaf(baseOffset, e.Length, e.Score, false);
            score = e.Score;
        }
    }

    /// <summary>Reads the whole stream into memory (directories; small files).</summary>
    public byte[] ReadAll(StreamRef stream)
    {
        if (stream.Length > int.MaxValue) throw new InvalidDataException("stream too large to read into memory");
        var result = new byte[stream.Length];
        foreach (var leaf in Leaves(stream))
        {
            if (leaf.IsHole) continue;
            var data = blocks.Get(leaf.Score);
            if (data.Length != leaf.Length) throw new InvalidDataException($"block {leaf.Score.Short} has {data.Length} bytes where its pointer says {leaf.Length}");
            data.CopyTo(result.AsSpan((int)leaf.Offset));
        }
        return result;
    }

    /// <summary>Writes the stream to a file handle, skipping holes so the copy stays sparse.</summary>
    public void CopyTo(StreamRef stream, Stream output)
    {
        foreach (var leaf in Leaves(stream))
        {
            if (leaf.IsHole) { output.Seek(leaf.Length, SeekOrigin.Current); continue; }
            var data = blocks.Get(leaf.Score);
            if (data.Length != leaf.Length) throw new InvalidDataException($"block {leaf.Score.Short} has {data.Length} bytes where its pointer says {leaf.Length}");
            output.Write(data);
        }
    }
}
