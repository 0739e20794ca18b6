// What the range tracker recorded for one file over a snapshot interval: the changed byte ranges, the smallest size
// the file had, and whether the tracker gave up on precision (RESCAN: read the whole file).
using TimeTravel.Store.Trees;

namespace TimeTravel.Kernel.Ranges;

/// <param name="Ranges">Merged, sorted, disjoint; granule-rounded (a superset of the bytes written).</param>
/// <param name="MinSize">The smallest size the file had in the interval; long.MaxValue when it never shrank.</param>
/// <param name="Rescan">The ranges are incomplete: read the whole file.</param>
public sealed record FileRanges(IReadOnlyList<ByteRange> Ranges, long MinSize, bool Rescan)
{
    /// <summary>The ranges as the range chunker takes them; only meaningful when <see cref="Rescan"/> is false.</summary>
    public ChangedRanges Changes => new(Ranges, MinSize);
}
