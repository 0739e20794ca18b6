// Restoring from a tree read through the filesystem, as the mount shows a snapshot: each node is what lstat,
// readlink and llistxattr say of the path, and the data is read from it. `yesterday` uses this when the store
// cannot be opened (an ordinary user) but the mount can be read; names that share an inode number (the mount gives
// hard links one) restore as hard links again.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

public sealed class MountedTreeSource : IRestoreSource
{
    private readonly Dictionary<Node, byte[]> _paths = new(ReferenceEqualityComparer.Instance);

    /// <summary>The node at `path` (not following a symlink there), or null when nothing is there.</summary>
    public Node? NodeAt(byte[] path)
    {
        if (!PosixFs.TryLStat(path, out var st)) return null;
        int slash = path.AsSpan().LastIndexOf((byte)'/');
        var node = Node.FromStatus(path[(slash + 1)..], st);
        if (st.Kind == FileKind.Symlink) node.LinkTarget = PosixFs.ReadLink(path);
        try { node.Xattrs = PosixFs.ReadXattrs(path); }
        catch (PosixException) { } // not listable by this user: restored without them
        if (st.Kind == FileKind.Regular) node.Content = new StreamRef(default, 0, st.Size);
        _paths[node] = path;
        return node;
    }

    public string PathOf(Node node) => PathBytes.Display(_paths[node]);

    public Node[] ReadDirectory(Node directory)
    {
        var dir = _paths[directory];
        var entries = PosixFs.ReadDirectory(dir);
        entries.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        var nodes = new List<Node>(entries.Count);
        foreach (var e in entries)
            if (NodeAt(PathBytes.Join(dir, e.Name)) is { } n) nodes.Add(n);
        return nodes.ToArray();
    }

    public void WriteContent(Node file, SafeFileHandle destination)
    {
        var path = _paths[file];
        using var source = PosixFs.OpenRead(path);
        var buffer = new byte[1 << 20];
        foreach (var (offset, length) in PosixFs.DataExtents(source, file.Size))
            for (long at = offset; at < offset + length;)
            {
                int n = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, offset + length - at)), at);
                if (n == 0) throw new IOException($"{PathBytes.Display(path)}: ended at {at} bytes, not {file.Size}");
                RandomAccess.Write(destination, buffer.AsSpan(0, n), at);
                at += n;
            }
    }

    public bool ContentMatches(Node file, byte[] path)
    {
        using var a = PosixFs.OpenRead(_paths[file]);
        using var b = PosixFs.OpenRead(path);
        for (long at = 0; at < file.Size; at += 1 << 20)
        {
            int length = (int)Math.Min(1 << 20, file.Size - at);
            var x = FileBytes.ReadExactly(a, at, length);
            var y = FileBytes.ReadExactly(b, at, length);
            if (x is null || y is null || !x.AsSpan().SequenceEqual(y)) return false;
        }
        return true;
    }
}
