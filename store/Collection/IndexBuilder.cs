// The index after a collection, written as whole segments before the writer lock is taken: the merge of M0's segments
// in which every entry located in a victim arena is replaced by its relocation, or dropped when the block is dead; and,
// under the lock, the same filter over the segments the writer made since. Memory is the merge's cursors only.
using TimeTravel.Store.Index;

namespace TimeTravel.Store.Collection;

public static class IndexBuilder
{
    /// <summary>
    /// Merges <paramref name="sourcesByPriority"/> (the first wins for equal scores) into a new segment at
    /// <paramref name="path"/>: a relocated score takes its relocation; otherwise its first entry outside the victims.
    /// Returns the number of entries written.
    /// </summary>
    public static long Build(string path, IReadOnlyList<IEnumerable<IndexEntry>> sourcesByPriority, long maxCount,
        IReadOnlySet<uint> victims, IEnumerable<IndexEntry> relocationsSorted)
    {
        if (File.Exists(path)) File.Delete(path); // left by an interrupted collection
        return IndexSegment.Write(path, Filter(SortedMerge.Merge(sourcesByPriority), victims, relocationsSorted), maxCount);
    }

    /// <summary>Whether any entry of the segment is located in a victim (else it stays as it is).</summary>
    public static bool Touches(IndexSegment segment, IReadOnlySet<uint> victims) =>
        segment.Entries().Any(e => victims.Contains(e.Location.Arena));

    private static IEnumerable<IndexEntry> Filter(IEnumerable<(IndexEntry Entry, int Source)> merged, IReadOnlySet<uint> victims,
        IEnumerable<IndexEntry> relocationsSorted)
    {
        using var reloc = relocationsSorted.GetEnumerator();
        bool haveReloc = reloc.MoveNext();
        Scores.Score? done = null;
        foreach (var (entry, _) in merged)
        {
            if (done is { } d && d == entry.Score) continue; // this score was written already
            while (haveReloc && reloc.Current.Score.CompareTo(entry.Score) < 0) haveReloc = reloc.MoveNext();
            if (haveReloc && reloc.Current.Score == entry.Score)
            {
                done = entry.Score;
                yield return reloc.Current;
                continue;
            }
            if (victims.Contains(entry.Location.Arena)) continue; // dead, or a copy of a score found elsewhere
            done = entry.Score;
            yield return entry;
        }
    }
}
