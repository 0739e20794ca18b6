// The data chunks of a file's previous stream, and the rule that says which of them a new chunking of the file may
// take over without reading their bytes (docs/design.md, "Reading only changed ranges").
//
// FastCdc.NextCut(window) depends only on the bytes up to the cut it returns, except when it finds no cut and returns
// the window's length (the maximum chunk size reached, or the end of the data extent). So an old chunk [p, p+L) that
// starts at a cut of the new chunking is also the new chunk there when
//   - its bytes are unchanged: no changed range meets it, and p+L <= min(MinSize, previous length);
//   - it lies inside the current data extent: p+L <= extent end;
//   - its end was a real cut, or is forced again: it was not the last chunk of its old extent, or L is the maximum
//     size, or the current extent also ends at p+L.
// "Last of its old extent" is read off the stream: the next leaf is a hole or there is none, since the chunkers write
// each extent as data leaves and the gaps between extents (never empty: extents are maximal runs) as holes.
// This holds for streams written by FileChunker or RangeChunker with the same parameters, which is what a store's
// fixed chunker parameters guarantee; leaves that could not come from them are never reused, only read again.
using TimeTravel.Store.Chunking;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

internal sealed class PreviousChunks
{
    private readonly record struct Chunk(long Offset, int Length, Score Score, bool EndsExtent, bool BytesUnchanged)
    {
        public long End => Offset + Length;
    }

    private readonly List<Chunk> _chunks;
    private readonly int _maxSize;
    private int _cursor; // index of the first chunk at or after the last position asked about; positions only grow

    private PreviousChunks(List<Chunk> chunks, int maxSize) { _chunks = chunks; _maxSize = maxSize; }

    /// <summary>Reads the previous stream's pointer blocks (never its data blocks) and marks what `changes` leaves intact.</summary>
    public static PreviousChunks Load(StreamReader reader, StreamRef previous, ChangedRanges changes, ChunkerParameters parameters)
    {
        long intactBelow = Math.Min(changes.MinSize, previous.Length);
        var leaves = reader.Leaves(previous).ToList();
        var chunks = new List<Chunk>(leaves.Count);
        int range = 0;
        for (int i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            if (leaf.IsHole) continue;
            bool endsExtent = i + 1 == leaves.Count || leaves[i + 1].IsHole;
            // A chunk FileChunker cuts is longer than the minimum unless it is its extent's tail, and never longer than the maximum.
            bool plausible = leaf.Length <= parameters.MaxSize && (endsExtent || leaf.Length > parameters.MinSize);
            long end = leaf.Offset + leaf.Length;
            while (range < changes.Ranges.Count && changes.Ranges[range].End <= leaf.Offset) range++;
            bool touched = range < changes.Ranges.Count && changes.Ranges[range].Offset < end;
            chunks.Add(new Chunk(leaf.Offset, (int)Math.Min(leaf.Length, int.MaxValue), leaf.Score, endsExtent,
                plausible && !touched && end <= intactBelow));
        }
        return new PreviousChunks(chunks, parameters.MaxSize);
    }

    /// <summary>The old chunk starting at `position` (a cut of the new chunking), if the new chunking cuts it the same way.</summary>
    public bool TryReuse(long position, long extentEnd, out Score score, out int length)
    {
        Advance(position);
        if (_cursor < _chunks.Count && _chunks[_cursor].Offset == position && Reusable(_chunks[_cursor], extentEnd))
        {
            score = _chunks[_cursor].Score;
            length = _chunks[_cursor].Length;
            return true;
        }
        score = default;
        length = 0;
        return false;
    }

    /// <summary>
    /// The first position at or after `position` where a reusable old chunk starts inside the extent, or the extent's
    /// end: every byte before it has to be read to find the new cuts there.
    /// </summary>
    public long NextReusableStart(long position, long extentEnd)
    {
        Advance(position);
        for (int i = _cursor; i < _chunks.Count && _chunks[i].Offset < extentEnd; i++)
            if (Reusable(_chunks[i], extentEnd)) return _chunks[i].Offset;
        return extentEnd;
    }

    /// <summary>The runs of old chunks whose bytes changed, merged: about what a pass will read, for read-ahead.</summary>
    public IEnumerable<(long Offset, long Length)> ChangedSpans()
    {
        int i = 0;
        while (i < _chunks.Count)
        {
            if (_chunks[i].BytesUnchanged) { i++; continue; }
            long start = _chunks[i].Offset, end = _chunks[i].End;
            while (++i < _chunks.Count && !_chunks[i].BytesUnchanged && _chunks[i].Offset == end) end = _chunks[i].End;
            yield return (start, end - start);
        }
    }

    private bool Reusable(in Chunk c, long extentEnd) =>
        c.BytesUnchanged && c.End <= extentEnd && (!c.EndsExtent || c.Length == _maxSize || c.End == extentEnd);

    private void Advance(long position)
    {
        while (_cursor < _chunks.Count && _chunks[_cursor].Offset < position) _cursor++;
    }
}
