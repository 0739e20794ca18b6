// Reads directory trees: decodes directories once (cached by score), looks names up, resolves paths.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Trees;

public sealed class TreeReader(IBlockSource blocks, int directoryCacheSize = 4096)
{
    private readonly BlockCache<Node[]> _dirs = new(directoryCacheSize);
    public StreamReader Streams { get; } = new(blocks);
    public IBlockSource Blocks => blocks;

    /// <summary>The entries of a directory, sorted by name. An empty directory has an empty stream.</summary>
    public Node[] ReadDirectory(StreamRef dir)
    {
        if (dir.IsEmpty) return [];
        if (_dirs.TryGet(dir.Root, out var cached)) return cached;
        var nodes = DirectoryCodec.Decode(Streams.ReadAll(dir), dir.Root.Short).ToArray();
        _dirs.Add(dir.Root, nodes);
        return nodes;
    }

    public Node? Lookup(StreamRef dir, ReadOnlySpan<byte> name) => Find(ReadDirectory(dir), name);

    /// <summary>Binary search of a directory's entries, which are sorted by name bytes.</summary>
    public static Node? Find(Node[] sorted, ReadOnlySpan<byte> name)
    {
        int lo = 0, hi = sorted.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = sorted[mid].Name.AsSpan().SequenceCompareTo(name);
            if (c == 0) return sorted[mid];
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    /// <summary>Follows path components from a directory node without following symlinks; null when a component is missing.</summary>
    public Node? Resolve(Node root, IEnumerable<byte[]> components)
    {
        var node = root;
        foreach (var c in components)
        {
            if (node.Kind != FileKind.Directory) return null;
            var next = Lookup(node.Content, c);
            if (next is null) return null;
            node = next;
        }
        return node;
    }

    /// <summary>Every node below a directory, depth first, with its path relative to it.</summary>
    public IEnumerable<(byte[] Path, Node Node)> Walk(Node dir, byte[] prefix)
    {
        foreach (var n in ReadDirectory(dir.Content))
        {
            var path = prefix.Length == 0 ? n.Name : PathBytes.Join(prefix, n.Name);
            yield return (path, n);
            if (n.Kind == FileKind.Directory)
                foreach (var sub in Walk(n, path)) yield return sub;
        }
    }
}
