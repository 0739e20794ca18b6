// Where the collection moved each block (score → new location), sorted by score with bounded memory: entries collect
// in memory up to a bound, then go to disk as a sorted run (an index segment file in STORE/gc/), and the runs are
// merged when read, as the index itself does.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Collection;

public sealed class RelocationList(string workDirectory, string prefix, int entriesPerRun = RelocationList.DefaultEntriesPerRun) : IDisposable
{
    public const int DefaultEntriesPerRun = 1 << 18; // 12 MiB of entries (24 with the list's growth) at most in memory, whatever the store's size

    private readonly List<IndexEntry> _batch = [];
    private readonly List<string> _runs = [];
    private readonly List<IndexSegment> _open = [];

    public long Count { get; private set; }

    public void Add(in Score score, BlockLocation location)
    {
        _batch.Add(new IndexEntry(score, location));
        Count++;
        if (_batch.Count >= entriesPerRun) Flush();
    }

    private void Flush()
    {
        if (_batch.Count == 0) return;
        _batch.Sort((a, b) => a.Score.CompareTo(b.Score));
        string path = Path.Combine(workDirectory, $"{prefix}-{_runs.Count}.tti");
        if (File.Exists(path)) File.Delete(path); // left by an interrupted collection
        IndexSegment.Write(path, _batch, _batch.Count);
        _runs.Add(path);
        _batch.Clear();
    }

    /// <summary>Every relocation in score order. Call once everything was added; the last batch stays in memory.</summary>
    public IEnumerable<IndexEntry> Sorted()
    {
        _batch.Sort((a, b) => a.Score.CompareTo(b.Score));
        var sources = new List<IEnumerable<IndexEntry>> { _batch.ToArray() };
        foreach (var run in _runs)
        {
            var seg = IndexSegment.Open(run);
            _open.Add(seg);
            sources.Add(seg.Entries());
        }
        return SortedMerge.Merge(sources).Select(x => x.Entry);
    }

    /// <summary>Closes and deletes the runs.</summary>
    public void Dispose()
    {
        foreach (var s in _open) s.Dispose();
        _open.Clear();
        foreach (var r in _runs) { try { File.Delete(r); } catch (IOException) { } }
        _runs.Clear();
    }
}
