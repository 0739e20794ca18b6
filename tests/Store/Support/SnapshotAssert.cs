// Compares what a snapshot recorded with the live source: lstat fields, xattrs, symlink targets, and content
// read back through the store leaf by leaf (holes must be zeros in the source too).
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Support;

public static class SnapshotAssert
{
    public static Node Resolve(Repository repo, Node root, byte[] absolutePath) =>
        repo.Trees.Resolve(root, PathBytes.Components(absolutePath))
        ?? throw new Xunit.Sdk.XunitException($"{PathBytes.Display(absolutePath)} is not in the snapshot");

    /// <summary>Every recorded field equals lstat of the source, and the content reads back byte for byte.</summary>
    public static void MatchesSource(Repository repo, Node node, byte[] sourcePath)
    {
        string where = PathBytes.Display(sourcePath);
        var st = PosixFs.LStat(sourcePath);
        Assert.True(st.Kind == node.Kind, $"{where}: kind {node.Kind}, source {st.Kind}");
        Assert.True(st.Permissions == node.Mode, $"{where}: mode {Convert.ToString(node.Mode, 8)}, source {Convert.ToString(st.Permissions, 8)}");
        Assert.True(st.Uid == node.Uid && st.Gid == node.Gid, $"{where}: owner {node.Uid}:{node.Gid}, source {st.Uid}:{st.Gid}");
        Assert.True(st.MTimeNs == node.MTimeNs, $"{where}: mtime {node.MTimeNs}, source {st.MTimeNs}");
        Assert.True(st.CTimeNs == node.CTimeNs, $"{where}: ctime {node.CTimeNs}, source {st.CTimeNs}");
        Assert.Equal(NodeFlags.None, node.Flags);
        if (st.Kind is FileKind.CharDevice or FileKind.BlockDevice) Assert.True(st.RDev == node.RDev, $"{where}: rdev {node.RDev}, source {st.RDev}");
        else Assert.Equal(0UL, node.RDev);
        if (st.Kind != FileKind.Directory)
        {
            Assert.True(st.Size == node.Size, $"{where}: size {node.Size}, source {st.Size}");
            Assert.True(st.Links == node.NLink, $"{where}: nlink {node.NLink}, source {st.Links}");
            Assert.True((st.Links > 1) == (node.LinkId != 0), $"{where}: link id {node.LinkId} with nlink {st.Links}");
        }
        var xattrs = PosixFs.ReadXattrs(sourcePath);
        Assert.True(xattrs.Count == node.Xattrs.Count, $"{where}: {node.Xattrs.Count} xattrs recorded, source has {xattrs.Count}");
        for (int i = 0; i < xattrs.Count; i++)
        {
            Assert.Equal(xattrs[i].Key, node.Xattrs[i].Key);
            Assert.Equal(xattrs[i].Value, node.Xattrs[i].Value);
        }
        if (st.Kind == FileKind.Symlink) Assert.Equal(PosixFs.ReadLink(sourcePath), node.LinkTarget);
        else Assert.Null(node.LinkTarget);
        if (st.Kind == FileKind.Regular) ContentMatches(repo.Trees.Streams, node.Content, sourcePath, st.Size);
        else if (st.Kind != FileKind.Directory) Assert.True(node.Content.IsEmpty, $"{where}: a {st.Kind} has content");
    }

    public static void ContentMatches(TimeTravel.Store.Trees.StreamReader streams, StreamRef content, byte[] sourcePath, long size)
    {
        string where = PathBytes.Display(sourcePath);
        Assert.True(content.Length == size, $"{where}: stream of {content.Length} bytes, file of {size}");
        long next = 0;
        foreach (var leaf in streams.Leaves(content))
        {
            Assert.Equal(next, leaf.Offset);
            next += leaf.Length;
            if (leaf.IsHole)
            {
                for (long at = leaf.Offset; at < leaf.Offset + leaf.Length; at += 1 << 20)
                {
                    var zeros = SourceFiles.ReadAt(sourcePath, at, (int)Math.Min(1 << 20, leaf.Offset + leaf.Length - at));
                    Assert.True(!zeros.AsSpan().ContainsAnyExcept((byte)0), $"{where}: recorded a hole at {at} where the file has data");
                }
                continue;
            }
            var stored = streams.Blocks.Get(leaf.Score);
            var source = SourceFiles.ReadAt(sourcePath, leaf.Offset, (int)leaf.Length);
            Assert.True(stored.AsSpan().SequenceEqual(source), $"{where}: bytes at {leaf.Offset} (+{leaf.Length}) differ from the source");
        }
        Assert.Equal(size, next);
    }
}
