// What differs between two recorded versions of one name, as a user sees it: the kind, the content (file data, a
// directory's entries, a symlink's target, a device number) and the metadata (mode, owner, xattrs, and the mtime
// when the content stayed the same: a new content brings a new mtime with it, and that is not news).
// ctime, st_blocks, the link count and the hard-link id are bookkeeping that moves without the file changing
// (a new hard link elsewhere, a rewrite that kept size and mtime), so they do not make a new version.
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.History;

public static class NodeComparison
{
    public static bool ContentDiffers(Node a, Node b) =>
        a.Content != b.Content || a.Size != b.Size || a.RDev != b.RDev
        || !(a.LinkTarget ?? []).AsSpan().SequenceEqual(b.LinkTarget ?? [])
        || (a.Flags & NodeFlags.Unreadable) != (b.Flags & NodeFlags.Unreadable);

    /// <summary>Mode, owner or xattrs differ, or the mtime does while the content does not.</summary>
    public static bool MetadataDiffers(Node a, Node b) =>
        a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || !SameXattrs(a.Xattrs, b.Xattrs)
        || (a.MTimeNs != b.MTimeNs && !ContentDiffers(a, b));

    /// <summary>The changes from `before` to `after` (either may be null: absent).</summary>
    public static VersionChange Between(Node? before, Node? after)
    {
        if (before is null && after is null) return VersionChange.None;
        if (before is null) return VersionChange.Created;
        if (after is null) return VersionChange.Deleted;
        if (ReferenceEquals(before, after)) return VersionChange.None;
        if (before.Kind != after.Kind) return VersionChange.Kind | VersionChange.Content | VersionChange.Metadata;
        var c = VersionChange.None;
        if (ContentDiffers(before, after)) c |= VersionChange.Content;
        if (MetadataDiffers(before, after)) c |= VersionChange.Metadata;
        return c;
    }

    public static bool SameXattrs(IReadOnlyList<KeyValuePair<byte[], byte[]>> a, IReadOnlyList<KeyValuePair<byte[], byte[]>> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!a[i].Key.AsSpan().SequenceEqual(b[i].Key) || !a[i].Value.AsSpan().SequenceEqual(b[i].Value)) return false;
        return true;
    }
}
