// Builds the pointer tree of a stream from its leaves (data blocks and holes), bottom-up, one level per 1,024 entries.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public sealed class StreamBuilder(BlockStore store)
{
    private readonly List<List<PointerEntry>> _levels = [[]];
    private long _length;

    public long Length => _length;

    public void AddData(in Score score, long length) { _length += length; Add(0, new PointerEntry(PointerKind.Child, length, score)); }

    public void AddHole(long length)
    {
        if (length <= 0) return;
        var level0 = _levels[0];
        _length += length;
        if (level0.Count > 0 && level0[^1].Kind == PointerKind.Hole) { level0[^1] = level0[^1] with { Length = level0[^1].Length + length }; return; }
        Add(0, new PointerEntry(PointerKind.Hole, length, Score.Zero));
    }

    private void Add(int level, PointerEntry e)
    {
        if (_levels.Count == level) _levels.Add([]);
        _levels[level].Add(e);
        if (_levels[level].Count == PointerBlock.Fanout) Flush(level);
    }

    private void Flush(int level)
    {
        var entries = _levels[level];
        byte[] block = PointerBlock.Pack(entries);
        var score = store.Put(block, BlockType.Pointer);
        long covered = 0;
        foreach (var e in entries) covered += e.Length;
        entries.Clear();
        Add(level + 1, new PointerEntry(PointerKind.Child, covered, score));
    }

    public StreamRef Finish()
    {
        for (int l = 0; ; l++)
        {
            var entries = _levels[l];
            bool top = l == _levels.Count - 1;
            if (top && entries.Count == 0) return StreamRef.Empty;
            if (top && entries.Count == 1 && entries[0].Kind == PointerKind.Child)
                return new StreamRef(entries[0].Score, (byte)l, entries[0].Length);
            if (entries.Count > 0) Flush(l);
        }
    }
}
