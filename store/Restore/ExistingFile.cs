// Whether what is already at a destination path matches a snapshot's node, for OnlyIfDifferent. Metadata is
// compared here; content by the source (against the leaves' scores for the store, so nothing is read from it).
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

internal static class ExistingFile
{
    /// <summary>Same owner (when owners are restored), mode and xattrs. Not the mtime: that moves whenever an entry
    /// inside does, and the restore sets it again anyway once the entries are in.</summary>
    public static bool DirectoryMatches(Node node, byte[] path, FileStatus st, bool owners) =>
        st.Kind == FileKind.Directory && (!owners || (st.Uid == node.Uid && st.Gid == node.Gid)) && st.Permissions == node.Mode
        && NodeComparison.SameXattrs(PosixFs.ReadXattrs(path), node.Xattrs);

    /// <summary>Same kind, metadata and content; for a later name of a hard-linked file, the same inode as its first name.</summary>
    public static bool Matches(IRestoreSource source, Node node, byte[] path, FileStatus st, byte[]? firstNameOfLink, bool owners)
    {
        if (st.Kind != node.Kind || st.MTimeNs != node.MTimeNs) return false;
        if (owners && (st.Uid != node.Uid || st.Gid != node.Gid)) return false;
        if (node.Kind != FileKind.Symlink && st.Permissions != node.Mode) return false;
        if (node.Kind is FileKind.CharDevice or FileKind.BlockDevice && st.RDev != node.RDev) return false;
        if (node.Kind == FileKind.Symlink && !PosixFs.ReadLink(path).AsSpan().SequenceEqual(node.LinkTarget ?? [])) return false;
        if (!NodeComparison.SameXattrs(PosixFs.ReadXattrs(path), node.Xattrs)) return false;
        if (firstNameOfLink is not null)
            return PosixFs.TryLStat(firstNameOfLink, out var first) && (first.Device, first.Inode) == (st.Device, st.Inode);
        return node.Kind != FileKind.Regular || (st.Size == node.Content.Length && source.ContentMatches(node, path));
    }
}
