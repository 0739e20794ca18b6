// A block that cannot be read back intact: names the arena file and offset.
namespace TimeTravel.Store.Arenas;

public sealed class BlockReadException(string arenaPath, long offset, string problem)
    : IOException($"{arenaPath} at offset {offset}: {problem}")
{
    public string ArenaPath { get; } = arenaPath;
    public long Offset { get; } = offset;
}
