// What changed since the previous snapshot, as the change journal says: the walker visits only the directories on
// the path to a change and reuses every other subtree by its score, without a stat. Sources the journal cannot
// vouch for, and subtrees created or moved in, are walked in full.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Snapshots;

public sealed class ChangeFilter
{
    private readonly HashSet<byte[]> _touched = new(ByteStringComparer.Instance); // changed paths and their ancestors
    private readonly HashSet<byte[]> _subtrees = new(ByteStringComparer.Instance);
    private readonly HashSet<string> _walkSources;

    public ChangeFilter(IEnumerable<byte[]> changed, IEnumerable<byte[]> subtrees, IEnumerable<string> walkSources)
    {
        foreach (var p in changed) AddWithAncestors(p);
        foreach (var p in subtrees) { _subtrees.Add(Trim(p)); AddWithAncestors(p); }
        _walkSources = walkSources.ToHashSet(StringComparer.Ordinal);
    }

    public int ChangedCount => _touched.Count;

    private void AddWithAncestors(byte[] path)
    {
        var p = Trim(path);
        while (p.Length > 1 && _touched.Add(p))
        {
            int slash = p.AsSpan().LastIndexOf((byte)'/');
            p = slash <= 0 ? "/"u8.ToArray() : p[..slash];
        }
    }

    private static byte[] Trim(byte[] p) => p.Length > 1 && p[^1] == (byte)'/' ? p[..^1] : p;

    /// <summary>Is the path changed, or on the way to a change? Untouched paths keep their recorded node.</summary>
    public bool Touches(byte[] path) => _touched.Contains(path);

    /// <summary>Was a directory created or moved in here, so that everything below it must be walked?</summary>
    public bool IsNewSubtree(byte[] path) => _subtrees.Contains(path);

    public bool MustWalk(string source) => _walkSources.Contains(source);
}

/// <summary>Equality of byte strings by content, for sets of paths.</summary>
public sealed class ByteStringComparer : IEqualityComparer<byte[]>
{
    public static readonly ByteStringComparer Instance = new();
    public bool Equals(byte[]? a, byte[]? b) => a.AsSpan().SequenceEqual(b);
    public int GetHashCode(byte[] b)
    {
        var h = new HashCode();
        h.AddBytes(b);
        return h.ToHashCode();
    }
}

/// <summary>Thrown when a journal-based snapshot meets a changed hard-linked file: its other names may sit in
/// directories the journal does not name, so the snapshot falls back to a full walk.</summary>
public sealed class HardLinkChangedException(string path) : Exception($"{path}: a hard-linked file changed");
