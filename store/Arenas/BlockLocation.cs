// Where a block record lives: arena number, byte offset of its header, and its stored and raw sizes.
namespace TimeTravel.Store.Arenas;

public readonly record struct BlockLocation(uint Arena, uint Offset, uint StoredLength, uint RawLength)
{
    public int RecordLength => ArenaFormat.RecordHeaderSize + (int)StoredLength;
}
