// Whether what is already at a destination path matches a snapshot's node, for OnlyIfDifferent. Content is
// compared against the scores in the node's stream: each data leaf's range of the existing file is hashed and
// compared with the leaf's score, holes must read as zeros, so nothing is read from the store.
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using StreamReader = TimeTravel.Store.Trees.StreamReader;

namespace TimeTravel.Store.Restore;

internal static class ExistingFile
{
    /// <summary>Same owner, mode and xattrs. Not the mtime: that moves whenever an entry inside does, and the restore
    /// sets it again anyway once the entries are in.</summary>
    public static bool DirectoryMatches(Node node, byte[] path, FileStatus st) =>
        st.Kind == FileKind.Directory && st.Uid == node.Uid && st.Gid == node.Gid && st.Permissions == node.Mode
        && NodeComparison.SameXattrs(PosixFs.ReadXattrs(path), node.Xattrs);

    /// <summary>Same kind, metadata and content; for a later name of a hard-linked file, the same inode as its first name.</summary>
    public static bool Matches(StreamReader streams, Node node, byte[] path, FileStatus st, byte[]? firstNameOfLink)
    {
        if (st.Kind != node.Kind || st.Uid != node.Uid || st.Gid != node.Gid || st.MTimeNs != node.MTimeNs) return false;
        if (node.Kind != FileKind.Symlink && st.Permissions != node.Mode) return false;
        if (node.Kind is FileKind.CharDevice or FileKind.BlockDevice && st.RDev != node.RDev) return false;
        if (node.Kind == FileKind.Symlink && !PosixFs.ReadLink(path).AsSpan().SequenceEqual(node.LinkTarget ?? [])) return false;
        if (!NodeComparison.SameXattrs(PosixFs.ReadXattrs(path), node.Xattrs)) return false;
        if (firstNameOfLink is not null)
            return PosixFs.TryLStat(firstNameOfLink, out var first) && (first.Device, first.Inode) == (st.Device, st.Inode);
        return node.Kind != FileKind.Regular || (st.Size == node.Content.Length && ContentMatches(streams, node.Content, path));
    }

    private static bool ContentMatches(StreamReader streams, StreamRef content, byte[] path)
    {
        using var handle = PosixFs.OpenRead(path);
        var extents = PosixFs.DataExtents(handle, content.Length);
        foreach (var leaf in streams.Leaves(content))
        {
            if (!leaf.IsHole)
            {
                var bytes = ReadExactly(handle, leaf.Offset, (int)leaf.Length);
                if (bytes is null || Score.Of(bytes) != leaf.Score) return false;
                continue;
            }
            // A hole: only the data extents the file has inside it need reading.
            long end = leaf.Offset + leaf.Length;
            foreach (var (offset, length) in extents)
            {
                long from = Math.Max(offset, leaf.Offset), to = Math.Min(offset + length, end);
                for (long at = from; at < to; at += 1 << 20)
                {
                    var bytes = ReadExactly(handle, at, (int)Math.Min(1 << 20, to - at));
                    if (bytes is null || bytes.AsSpan().ContainsAnyExcept((byte)0)) return false;
                }
            }
        }
        return true;
    }

    private static byte[]? ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, int length)
    {
        var buffer = new byte[length];
        int done = 0;
        while (done < length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (n == 0) return null;
            done += n;
        }
        return buffer;
    }
}
