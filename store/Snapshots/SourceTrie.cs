// The sources of a store as a tree of path components from "/", so that one snapshot holds them all at their
// real absolute paths (what `yesterday` and the mount show). A source inside another source is covered by it.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Snapshots;

public sealed class SourceTrie
{
    public ExcludeRules? Source { get; private set; }
    public SortedDictionary<byte[], SourceTrie> Children { get; } = new(PathBytes.Comparer);

    public static SourceTrie Build(IEnumerable<SourceRecord> sources, string storeRoot)
    {
        var root = new SourceTrie();
        foreach (var s in sources.OrderBy(s => s.Path.Length))
        {
            var node = root;
            bool covered = false;
            foreach (var c in PathBytes.Components(PathBytes.From(s.Path)))
            {
                if (node.Source is not null) { covered = true; break; }
                if (!node.Children.TryGetValue(c, out var next)) node.Children[c] = next = new SourceTrie();
                node = next;
            }
            if (covered || node.Source is not null) continue;
            node.Source = new ExcludeRules(s.Excludes, [storeRoot]);
            node.Children.Clear();
        }
        return root;
    }
}
