// Arenas that are not on the local disk: a store kept in a bucket reads its sealed arenas (and other hosts' arenas)
// by byte range through a bounded cache. ArenaSet falls back to this when an arena has no local file.
namespace TimeTravel.Store.Arenas;

public interface IArenaSource
{
    /// <summary>Where the arena is, for messages ("s3://bucket/prefix/arenas/00100003.arena").</summary>
    string Where(uint arena);

    /// <summary>Fills `into` from the arena's bytes at `offset`; returns how many there were (fewer past its end, 0 when
    /// there is no such arena). Throws IOException naming the store when it cannot be reached.</summary>
    int ReadAt(uint arena, long offset, Span<byte> into);

    /// <summary>The arena was deleted by garbage collection: drop what is cached of it.</summary>
    void Forget(uint arena);
}
