// What a change tracker knows about one file's content since the previous snapshot: the byte ranges that may differ
// (a superset: a tracker may round up, never down) and the smallest size the file had in between (a shrink followed by
// a grow leaves zeros where old bytes were). RangeChunker turns this plus the previous stream into the new stream.
namespace TimeTravel.Store.Trees;

public readonly record struct ByteRange(long Offset, long Length)
{
    public long End => Offset + Length;
}

/// <param name="Ranges">Sorted, disjoint, non-empty ranges that may have changed.</param>
/// <param name="MinSize">The smallest size the file had since the previous snapshot; long.MaxValue when it never shrank.</param>
public sealed record ChangedRanges(IReadOnlyList<ByteRange> Ranges, long MinSize)
{
    /// <summary>Nothing changed (the content equals the previous snapshot's, except for a size change).</summary>
    public static readonly ChangedRanges None = new([], long.MaxValue);

    public long ChangedBytes => Ranges.Sum(r => r.Length);
}
