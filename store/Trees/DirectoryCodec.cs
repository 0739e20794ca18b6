// Encoding of a directory: its entries sorted by name bytes, packed with varints. The encoded bytes are stored as
// a stream (so a huge directory is chunked like a file); equal directories encode equally and so share a score.
// docs/format.md describes every field.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public static class DirectoryCodec
{
    public const byte Version = 1;

    [Flags]
    private enum F : uint { Unstable = 1, Unreadable = 2, HardLink = 4, Xattrs = 8, Content = 16, RDev = 32, Target = 64 }

    public static byte[] Encode(IReadOnlyList<Node> sortedNodes)
    {
        var o = new List<byte>(64 + sortedNodes.Count * 64) { Version };
        byte[]? previous = null;
        foreach (var n in sortedNodes)
        {
            if (previous != null && previous.AsSpan().SequenceCompareTo(n.Name) >= 0)
                throw new ArgumentException("directory entries must be sorted by name and unique");
            previous = n.Name;
            Varint.Write(o, (ulong)n.Name.Length); o.AddRange(n.Name);
            o.Add((byte)n.Kind);
            Varint.Write(o, n.Mode);
            Varint.Write(o, n.Uid);
            Varint.Write(o, n.Gid);
            Varint.Write(o, (ulong)n.Size);
            Varint.Write(o, (ulong)n.Blocks);
            Varint.WriteSigned(o, n.MTimeNs);
            Varint.WriteSigned(o, n.CTimeNs);
            F f = 0;
            if (n.Flags.HasFlag(NodeFlags.Unstable)) f |= F.Unstable;
            if (n.Flags.HasFlag(NodeFlags.Unreadable)) f |= F.Unreadable;
            if (n.LinkId != 0) f |= F.HardLink;
            if (n.Xattrs.Count > 0) f |= F.Xattrs;
            if (!n.Content.IsEmpty) f |= F.Content;
            if (n.RDev != 0) f |= F.RDev;
            if (n.LinkTarget != null) f |= F.Target;
            Varint.Write(o, (uint)f);
            if (f.HasFlag(F.HardLink)) { Varint.Write(o, n.LinkId); Varint.Write(o, n.NLink); }
            if (f.HasFlag(F.RDev)) Varint.Write(o, n.RDev);
            if (f.HasFlag(F.Content))
            {
                o.Add(n.Content.Depth);
                Varint.Write(o, (ulong)n.Content.Length);
                o.AddRange(n.Content.Root.ToBytes());
            }
            if (f.HasFlag(F.Target)) { Varint.Write(o, (ulong)n.LinkTarget!.Length); o.AddRange(n.LinkTarget); }
            if (f.HasFlag(F.Xattrs))
            {
                Varint.Write(o, (ulong)n.Xattrs.Count);
                foreach (var (k, v) in n.Xattrs)
                {
                    Varint.Write(o, (ulong)k.Length); o.AddRange(k);
                    Varint.Write(o, (ulong)v.Length); o.AddRange(v);
                }
            }
        }
        return o.ToArray();
    }

    public static List<Node> Decode(ReadOnlySpan<byte> b, string where)
    {
        try { return DecodeUnchecked(b); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"directory {where} is damaged: {e.Message}", e);
        }
    }

    private static List<Node> DecodeUnchecked(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0 || b[0] != Version) throw new InvalidDataException(b.Length == 0 ? "empty directory block" : $"unknown directory version {b[0]}");
        var nodes = new List<Node>();
        int pos = 1;
        byte[]? previous = null;
        while (pos < b.Length)
        {
            byte[] name = Bytes(b, ref pos);
            if (name.Length == 0 || name.AsSpan().IndexOf((byte)'/') >= 0 || name.AsSpan().IndexOf((byte)0) >= 0
                || name.AsSpan().SequenceEqual("."u8) || name.AsSpan().SequenceEqual(".."u8))
                throw new InvalidDataException($"invalid entry name '{PathBytes.Display(name)}'");
            if (previous != null && previous.AsSpan().SequenceCompareTo(name) >= 0) throw new InvalidDataException("entries out of order");
            previous = name;
            var kind = (FileKind)b[pos++];
            if (kind < FileKind.Regular || kind > FileKind.BlockDevice) throw new InvalidDataException($"unknown file kind {(byte)kind}");
            var n = new Node
            {
                Name = name, Kind = kind,
                Mode = checked((uint)Varint.Read(b, ref pos)),
                Uid = checked((uint)Varint.Read(b, ref pos)),
                Gid = checked((uint)Varint.Read(b, ref pos)),
                Size = checked((long)Varint.Read(b, ref pos)),
                Blocks = checked((long)Varint.Read(b, ref pos)),
                MTimeNs = Varint.ReadSigned(b, ref pos),
                CTimeNs = Varint.ReadSigned(b, ref pos),
            };
            var f = (F)Varint.Read(b, ref pos);
            if (f.HasFlag(F.Unstable)) n.Flags |= NodeFlags.Unstable;
            if (f.HasFlag(F.Unreadable)) n.Flags |= NodeFlags.Unreadable;
            if (f.HasFlag(F.HardLink)) { n.LinkId = Varint.Read(b, ref pos); n.NLink = Varint.Read(b, ref pos); }
            if (f.HasFlag(F.RDev)) n.RDev = Varint.Read(b, ref pos);
            if (f.HasFlag(F.Content))
            {
                byte depth = b[pos++];
                long length = checked((long)Varint.Read(b, ref pos));
                if (pos + Score.Size > b.Length) throw new InvalidDataException("truncated score");
                n.Content = new StreamRef(Score.Read(b.Slice(pos, Score.Size)), depth, length);
                pos += Score.Size;
            }
            if (f.HasFlag(F.Target)) n.LinkTarget = Bytes(b, ref pos);
            if (f.HasFlag(F.Xattrs))
            {
                ulong count = Varint.Read(b, ref pos);
                for (ulong i = 0; i < count; i++) n.Xattrs.Add(new(Bytes(b, ref pos), Bytes(b, ref pos)));
            }
            nodes.Add(n);
        }
        return nodes;
    }

    private static byte[] Bytes(ReadOnlySpan<byte> b, ref int pos)
    {
        ulong len = Varint.Read(b, ref pos);
        if (len > (ulong)(b.Length - pos)) throw new InvalidDataException("length runs past the end of the block");
        var r = b.Slice(pos, (int)len).ToArray();
        pos += (int)len;
        return r;
    }
}
