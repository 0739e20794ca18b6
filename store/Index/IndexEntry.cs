// One index entry: a score and where its block is; packed as 48 bytes in segments.
using System.Buffers.Binary;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Index;

public readonly record struct IndexEntry(Score Score, BlockLocation Location)
{
    public void Pack(Span<byte> e)
    {
        Score.Write(e);
        BinaryPrimitives.WriteUInt32LittleEndian(e[IndexFormat.E_ARENA..], Location.Arena);
        BinaryPrimitives.WriteUInt32LittleEndian(e[IndexFormat.E_OFFSET..], Location.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(e[IndexFormat.E_STORED..], Location.StoredLength);
        BinaryPrimitives.WriteUInt32LittleEndian(e[IndexFormat.E_RAW..], Location.RawLength);
    }

    public static IndexEntry Unpack(ReadOnlySpan<byte> e) => new(Score.Read(e), new BlockLocation(
        BinaryPrimitives.ReadUInt32LittleEndian(e[IndexFormat.E_ARENA..]),
        BinaryPrimitives.ReadUInt32LittleEndian(e[IndexFormat.E_OFFSET..]),
        BinaryPrimitives.ReadUInt32LittleEndian(e[IndexFormat.E_STORED..]),
        BinaryPrimitives.ReadUInt32LittleEndian(e[IndexFormat.E_RAW..])));
}
