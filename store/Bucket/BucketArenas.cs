// Arenas read from the bucket by byte range, through the bounded disk cache (STORE/cache): what ArenaSet falls back
// to for an arena with no local file (a sealed arena evicted here, another host's, or every one on a fresh machine).
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Objects;

namespace TimeTravel.Store.Bucket;

public sealed class BucketArenas(IObjectStore objects, ObjectRangeCache cache) : IArenaSource
{
    public string Where(uint arena) => $"{objects.Location}/{BucketKeys.Arena(arena)}";

    public int ReadAt(uint arena, long offset, Span<byte> into)
    {
        try { return cache.Read(BucketKeys.Arena(arena), offset, into); }
        catch (ObjectNotFoundException) { return 0; }
    }

    public void Forget(uint arena) => cache.Forget(BucketKeys.Arena(arena));
}
