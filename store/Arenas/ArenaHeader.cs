// Pack and unpack of the 64-byte arena file header. Every reader and the writer check it before using an arena.
using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Store.Arenas;

public readonly record struct ArenaHeader(uint Number, long Created, ulong MaxSize)
{
    public byte[] Pack()
    {
        var h = new byte[ArenaFormat.HeaderSize];
        ArenaFormat.FileMagic.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(ArenaFormat.H_VERSION), ArenaFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(ArenaFormat.H_NUMBER), Number);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(ArenaFormat.H_CREATED), Created);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(ArenaFormat.H_MAX_SIZE), MaxSize);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(ArenaFormat.H_CHECKSUM), Crc32.HashToUInt32(h.AsSpan(0, ArenaFormat.H_CHECKSUM)));
        return h;
    }

    /// <summary>Checks and reads a header; throws StoreFormatException naming the file on any mismatch.</summary>
    public static ArenaHeader Unpack(ReadOnlySpan<byte> h, string path)
    {
        if (h.Length < ArenaFormat.HeaderSize || !h[..8].SequenceEqual(ArenaFormat.FileMagic))
            throw new StoreFormatException(path, "not an arena file (bad magic)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.H_VERSION..]);
        if (version == 0 || version > ArenaFormat.Version)
            throw new StoreFormatException(path, $"arena format version {version} is newer than this timetravel reads ({ArenaFormat.Version}); upgrade timetravel");
        if (Crc32.HashToUInt32(h[..ArenaFormat.H_CHECKSUM]) != BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.H_CHECKSUM..]))
            throw new StoreFormatException(path, "arena header checksum mismatch");
        return new ArenaHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.H_NUMBER..]),
            BinaryPrimitives.ReadInt64LittleEndian(h[ArenaFormat.H_CREATED..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[ArenaFormat.H_MAX_SIZE..]));
    }

    /// <summary>
    /// Reads and checks the header of an open arena, including that it is the arena its file name says (a file
    /// renamed by hand is refused). Throws StoreFormatException naming the file.
    /// </summary>
    public static ArenaHeader Read(SafeFileHandle handle, string path, uint expectedNumber)
    {
        var h = new byte[ArenaFormat.HeaderSize];
        int n = RandomAccess.Read(handle, h, 0);
        if (n < h.Length) throw new StoreFormatException(path, $"shorter than an arena header ({n} of {ArenaFormat.HeaderSize} bytes)");
        var header = Unpack(h, path);
        if (header.Number != expectedNumber)
            throw new StoreFormatException(path, $"the header says arena {header.Number}, the file name {expectedNumber} (renamed by hand?)");
        return header;
    }

    /// <summary>Opens the arena file just to check its header.</summary>
    public static ArenaHeader Read(string path, uint expectedNumber)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Read(handle, path, expectedNumber);
    }
}
