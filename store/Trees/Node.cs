// One name in a directory, with everything recorded about the file it names.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Trees;

[Flags]
public enum NodeFlags : byte
{
    None = 0,
    Unstable = 1,    // the file kept changing while it was read: content is the last read, possibly inconsistent
    Unreadable = 2,  // the file could not be read: metadata only, no content
}

public sealed class Node
{
    public required byte[] Name { get; init; }
    public FileKind Kind { get; init; }
    public uint Mode { get; set; }         // permission bits including setuid, setgid, sticky (07777)
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public long Size { get; set; }
    public long Blocks { get; set; }       // st_blocks, 512-byte units, as recorded
    public long MTimeNs { get; set; }
    public long CTimeNs { get; set; }
    public ulong RDev { get; set; }        // devices only
    public ulong LinkId { get; set; }      // nonzero for a file with several names: equal ids are one file (from its device and inode)
    public ulong NLink { get; set; } = 1;  // st_nlink as recorded
    public NodeFlags Flags { get; set; }
    public StreamRef Content { get; set; } = StreamRef.Empty; // file data, or the directory's encoded entries
    public byte[]? LinkTarget { get; set; } // symlink target, byte for byte
    public List<KeyValuePair<byte[], byte[]>> Xattrs { get; set; } = [];

    public uint StMode => FileKinds.TypeBits(Kind) | Mode;

    public Node WithName(byte[] name) => new()
    {
        Name = name, Kind = Kind, Mode = Mode, Uid = Uid, Gid = Gid, Size = Size, Blocks = Blocks, MTimeNs = MTimeNs,
        CTimeNs = CTimeNs, RDev = RDev, LinkId = LinkId, NLink = NLink, Flags = Flags, Content = Content,
        LinkTarget = LinkTarget, Xattrs = Xattrs,
    };

    /// <summary>Same metadata (everything but content and name)?</summary>
    public bool SameMetadata(Node o) =>
        Kind == o.Kind && Mode == o.Mode && Uid == o.Uid && Gid == o.Gid && Size == o.Size && MTimeNs == o.MTimeNs
        && CTimeNs == o.CTimeNs && RDev == o.RDev && NLink == o.NLink
        && (LinkTarget ?? []).AsSpan().SequenceEqual(o.LinkTarget ?? [])
        && Xattrs.Count == o.Xattrs.Count
        && Xattrs.Zip(o.Xattrs).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    public static Node FromStatus(byte[] name, in FileStatus st) => new()
    {
        Name = name, Kind = st.Kind, Mode = st.Permissions, Uid = st.Uid, Gid = st.Gid,
        Size = st.Size, Blocks = st.Blocks, MTimeNs = st.MTimeNs, CTimeNs = st.CTimeNs,
        RDev = st.Kind is FileKind.CharDevice or FileKind.BlockDevice ? st.RDev : 0,
        NLink = st.Kind == FileKind.Directory ? 1 : st.Links,
        LinkId = st.Kind != FileKind.Directory && st.Links > 1 ? LinkIdOf(st.Device, st.Inode) : 0,
    };

    /// <summary>A hard-link group id from device and inode (mixed so it is never zero in practice).</summary>
    public static ulong LinkIdOf(ulong dev, ulong ino)
    {
        ulong x = dev * 0x9E3779B97F4A7C15 ^ ino;
        x ^= x >> 33; x *= 0xFF51AFD7ED558CCD; x ^= x >> 33;
        return x == 0 ? 1 : x;
    }
}
