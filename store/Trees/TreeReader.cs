// Reads directory trees: decodes directories once (cached by score), looks names up, resolves paths.
// Both caches are bounded by bytes, not entries: one directory of a million names decodes to hundreds of MB.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Trees;

public sealed class TreeReader(IBlockSource blocks, long directoryCacheBytes = TreeReader.DirectoryCacheBytes, long pointerCacheBytes = TreeReader.PointerCacheBytes)
{
    public const long DirectoryCacheBytes = 32 << 20; // decoded directories (about 130,000 entries)
    public const long PointerCacheBytes = 16 << 20;   // decoded pointer blocks (the leaves of about 20 GiB of files)

    private readonly BlockCache<Node[]> _dirs = BlockCache<Node[]>.BoundedByBytes(directoryCacheBytes, SizeOf);
    public StreamReader Streams { get; } = new(blocks, BlockCache<PointerEntry[]>.BoundedByBytes(pointerCacheBytes, p => 24 + 48L * p.Length));
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

    // What a decoded directory holds on the heap, roughly: the array, and per entry a Node (about 200 bytes with its
    // empty xattr list), its name, symlink target and xattrs.
    private static long SizeOf(Node[] nodes)
    {
        long size = 24 + 8L * nodes.Length;
        foreach (var n in nodes)
        {
            size += 200 + 24 + n.Name.Length;
            if (n.LinkTarget is { } target) size += 24 + target.Length;
            foreach (var (k, v) in n.Xattrs) size += 16 + 48 + k.Length + v.Length;
        }
        return size;
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
