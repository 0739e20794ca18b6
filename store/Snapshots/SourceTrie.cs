// The sources of a store as a tree of path components from "/", so that one snapshot holds them all at their
// real absolute paths (what `yesterday` and the mount show). A source inside another source is covered by it.
// Covers answers for one path what the walker decides level by level: the change tracker and the FastVPS importer
// drop exactly the paths a walk would not record. Besides each source's excludes and the store, the directory of
// consistent copies (ConsistentCopies) is left out everywhere.
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
            node.Source = new ExcludeRules(s.Excludes.Append(ConsistentCopies.DirectoryName), [storeRoot]);
            node.Children.Clear();
        }
        return root;
    }

    /// <summary>
    /// Would a walk record <paramref name="path"/> (absolute)? True when it lies in a source and neither it nor any
    /// directory between it and the source root is excluded (or the store); false for ancestors of sources and
    /// everything outside them.
    /// </summary>
    public bool Covers(byte[] path)
    {
        var components = PathBytes.Components(path);
        var node = this;
        var prefix = "/"u8.ToArray();
        int i = 0;
        while (node.Source is null)
        {
            if (i == components.Count || !node.Children.TryGetValue(components[i], out var next)) return false;
            prefix = PathBytes.Join(prefix, components[i++]);
            node = next;
        }
        for (; i < components.Count; i++)
        {
            prefix = PathBytes.Join(prefix, components[i]);
            if (node.Source.IsExcluded(prefix, components[i])) return false;
        }
        return true;
    }
}
