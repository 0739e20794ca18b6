// k-way merge of sorted index entry streams, equal scores in the order of the sources (the first source first): the
// collection merges M0's segments newest first, so the entry a lookup would find comes first.
using TimeTravel.Store.Index;

namespace TimeTravel.Store.Collection;

public static class SortedMerge
{
    public static IEnumerable<(IndexEntry Entry, int Source)> Merge(IReadOnlyList<IEnumerable<IndexEntry>> sources)
    {
        var queue = new PriorityQueue<(IEnumerator<IndexEntry> It, int Source), (Scores.Score, int)>(
            Comparer<(Scores.Score Score, int Source)>.Create((a, b) => a.Score.CompareTo(b.Score) is var c and not 0 ? c : a.Source.CompareTo(b.Source)));
        try
        {
            for (int i = 0; i < sources.Count; i++)
            {
                var it = sources[i].GetEnumerator();
                if (it.MoveNext()) queue.Enqueue((it, i), (it.Current.Score, i));
                else it.Dispose();
            }
            while (queue.TryDequeue(out var top, out _))
            {
                yield return (top.It.Current, top.Source);
                if (top.It.MoveNext()) queue.Enqueue(top, (top.It.Current.Score, top.Source));
                else top.It.Dispose();
            }
        }
        finally { while (queue.TryDequeue(out var rest, out _)) rest.It.Dispose(); }
    }

    /// <summary>The first entry of each score (the highest-priority source's).</summary>
    public static IEnumerable<(IndexEntry Entry, int Source)> FirstOfEachScore(IEnumerable<(IndexEntry Entry, int Source)> merged)
    {
        Scores.Score? last = null;
        foreach (var x in merged)
        {
            if (last is { } l && l == x.Entry.Score) continue;
            last = x.Entry.Score;
            yield return x;
        }
    }
}
