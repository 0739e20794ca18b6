// How much the store holds and saves: logical bytes of all snapshots against unique and stored bytes.
namespace TimeTravel.Store.Maintenance;

public sealed record StoreStatistics(int Snapshots, long LogicalBytes, long UniqueBytes, long StoredBytes, long Blocks, int Arenas)
{
    public double DedupRatio => UniqueBytes == 0 ? 1 : (double)LogicalBytes / UniqueBytes;
    public double CompressionRatio => StoredBytes == 0 ? 1 : (double)UniqueBytes / StoredBytes;

    public static StoreStatistics Compute(Repository repo)
    {
        var snaps = repo.Catalog.Snapshots();
        long unique = 0, blocks = 0;
        foreach (var e in repo.Blocks.Index.CommittedEntries()) { unique += e.Location.RawLength; blocks++; }
        var arenas = repo.Blocks.Arenas.List();
        long stored = arenas.Sum(n => new FileInfo(repo.Blocks.Arenas.PathOf(n)).Length);
        return new StoreStatistics(snaps.Count, snaps.Sum(s => s.Stats.LogicalBytes), unique, stored, blocks, arenas.Count);
    }
}
