// The history of one path across snapshots: every distinct version, oldest first, with what changed each time.
// Identical consecutive versions collapse into one. Built on the Merkle tree and the per-snapshot change lists: a
// snapshot whose directories on the way have the scores they had in the snapshot before costs a comparison, not a
// lookup (see SnapshotPathResolver); one whose change list (against the snapshot before it) names neither the path
// nor anything above or below it costs a read of that small list instead of a walk down directories that may be
// large and busy (/var/log, /etc).
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.History;

public sealed class FileHistory(TreeReader trees)
{
    public static FileHistory Of(Repository repo) => new(repo.Trees);

    /// <summary>
    /// Every distinct version of the absolute `path` in `snapshots` (taken oldest first, as the catalog lists them).
    /// Snapshots before the path first appears give nothing; a snapshot without it after it existed gives a Deleted
    /// version (node null). Empty when the path is in no snapshot. With `reaches`, only the snapshots it accepts
    /// count (it sees the nodes along the path in each): the others are passed over as if they had not been taken,
    /// so a version is named by the first accepted snapshot that had it.
    /// </summary>
    public IReadOnlyList<FileVersion> Versions(IReadOnlyList<SnapshotRecord> snapshots, byte[] path, Reaches? reaches = null)
    {
        var resolver = new SnapshotPathResolver(trees, PathBytes.Components(path));
        var versions = new List<FileVersion>();
        Node? current = null;
        bool everSeen = false, beforeCounted = false;
        SnapshotRecord? before = null;
        foreach (var snap in snapshots)
        {
            // Proven unchanged: the same nodes along the path as in `before` (and the same root, for `reaches`), so it counts as `before` did.
            bool unchanged = before is not null && snap.Root.Content != before.Root.Content && ProvesUnchanged(snap, before, path)
                && (reaches is null || SameAccess(snap.Root, before.Root));
            before = snap;
            if (unchanged)
            {
                if (beforeCounted && versions.Count > 0) versions[^1] = versions[^1] with { LastSeen = snap };
                continue;
            }
            var node = resolver.Resolve(snap.Root);
            beforeCounted = reaches is null || reaches(resolver.Nodes);
            if (!beforeCounted) continue;
            var changes = NodeComparison.Between(current, node);
            if (versions.Count > 0 && changes == VersionChange.None)
            {
                versions[^1] = versions[^1] with { LastSeen = snap };
                continue;
            }
            if (!everSeen && node is null) continue;
            if (everSeen && changes == VersionChange.Created) changes = VersionChange.Recreated;
            versions.Add(new FileVersion(snap, snap, node, changes));
            everSeen = true;
            current = node;
        }
        return versions;
    }

    // The root's own mode, owner and xattrs (ACLs) are in the catalog, not in any change list.
    private static bool SameAccess(Node a, Node b) =>
        a.Mode == b.Mode && a.Uid == b.Uid && a.Gid == b.Gid && a.Xattrs.Count == b.Xattrs.Count
        && a.Xattrs.Zip(b.Xattrs).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    /// <summary>True when `snap`'s change list is against `before` and names neither `path`, nor a directory above it,
    /// nor anything below it: the path is then exactly as it was in `before`.</summary>
    private bool ProvesUnchanged(SnapshotRecord snap, SnapshotRecord before, byte[] path)
    {
        if (snap.ChangedCount < 0 || snap.ChangedSince != before.Id) return false;
        var changed = Snapshots.ChangeList.Read(trees, snap);
        // Sorted by bytes: the first entry at or after "path/" is a descendant if any is; each ancestor is found by its own search.
        if (changed.BinarySearch(path, PathBytes.Comparer) >= 0) return false;
        byte[] below = [.. path, (byte)'/'];
        int next = changed.BinarySearch(below, PathBytes.Comparer);
        if (next < 0) next = ~next;
        if (next < changed.Count && changed[next].AsSpan().StartsWith(below)) return false;
        for (int slash = path.Length - 1; slash > 0; slash--)
            if (path[slash] == (byte)'/' && changed.BinarySearch(path[..slash], PathBytes.Comparer) >= 0) return false;
        return changed.BinarySearch("/"u8.ToArray(), PathBytes.Comparer) < 0;
    }

    /// <summary>
    /// Every name that was ever directly below the directory `path` in any of the snapshots, sorted by bytes: the
    /// names of a `.history` view, and the way to find a deleted file.
    /// </summary>
    public IReadOnlyList<byte[]> NamesEverUnder(IReadOnlyList<SnapshotRecord> snapshots, byte[] path) =>
        ChildrenEverUnder(snapshots, path).Select(c => c.Name).ToList();

    /// <summary>
    /// Every name ever directly below the directory `path`, sorted by bytes, with the newest node it had. One pass over the snapshots that
    /// decodes each distinct directory once, so listing a directory costs names + snapshots, not names × snapshots.
    /// With `reaches`, only the snapshots it accepts count (it sees the nodes from the root to the directory).
    /// </summary>
    public IReadOnlyList<ChildEver> ChildrenEverUnder(IReadOnlyList<SnapshotRecord> snapshots, byte[] path, Reaches? reaches = null)
    {
        var resolver = new SnapshotPathResolver(trees, PathBytes.Components(path));
        var children = new Dictionary<byte[], ChildEver>(PathBytes.EqualityComparer);
        StreamRef? previous = null;
        foreach (var snap in snapshots)
        {
            var dir = resolver.Resolve(snap.Root);
            if (dir is not { Kind: FileKind.Directory } || dir.Content == previous) continue;
            if (reaches is not null && !reaches(resolver.Nodes)) continue;
            previous = dir.Content;
            foreach (var child in trees.ReadDirectory(dir.Content)) // oldest to newest: the last seen is the newest
                children[child.Name] = new ChildEver(child.Name, child);
        }
        var sorted = children.Values.ToList();
        sorted.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return sorted;
    }
}

/// <summary>Whether a snapshot counts for a history, given the nodes along the path in it (SnapshotPathResolver.Nodes).</summary>
public delegate bool Reaches(ReadOnlySpan<Node> along);

/// <summary>A name once below a directory, and the newest node it had.</summary>
public sealed record ChildEver(byte[] Name, Node Latest);
