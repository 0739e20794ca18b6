// Pointer blocks: the inner nodes of a stream's tree. Version byte 1, then entries of 41 bytes:
// kind (0 child block, 1 hole), length covered (u64 little-endian), score (zero for a hole).
using System.Buffers.Binary;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public enum PointerKind : byte { Child = 0, Hole = 1 }

public readonly record struct PointerEntry(PointerKind Kind, long Length, Score Score);

public static class PointerBlock
{
    public const byte Version = 1;
    public const int EntrySize = 41;
    public const int Fanout = 1024; // 64 KiB chunks: depth 1 covers 64 MiB, depth 2 64 GiB, depth 3 64 TiB

    public static byte[] Pack(IReadOnlyList<PointerEntry> entries)
    {
        var b = new byte[1 + entries.Count * EntrySize];
        b[0] = Version;
        for (int i = 0; i < entries.Count; i++)
        {
            var e = b.AsSpan(1 + i * EntrySize, EntrySize);
            e[0] = (byte)entries[i].Kind;
            BinaryPrimitives.WriteInt64LittleEndian(e[1..], entries[i].Length);
            entries[i].Score.Write(e[9..]);
        }
        return b;
    }

    public static PointerEntry[] Unpack(ReadOnlySpan<byte> b, in Score where)
    {
        if (b.Length < 1 || b[0] != Version || (b.Length - 1) % EntrySize != 0)
            throw new InvalidDataException($"block {where.Short} is not a pointer block");
        var entries = new PointerEntry[(b.Length - 1) / EntrySize];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = b.Slice(1 + i * EntrySize, EntrySize);
            if (e[0] > 1) throw new InvalidDataException($"pointer block {where.Short} entry {i} has unknown kind {e[0]}");
            long len = BinaryPrimitives.ReadInt64LittleEndian(e[1..]);
            if (len <= 0) throw new InvalidDataException($"pointer block {where.Short} entry {i} has length {len}");
            entries[i] = new PointerEntry((PointerKind)e[0], len, Score.Read(e[9..]));
        }
        return entries;
    }
}
