// The writer's memory for new index entries is bounded: past the bound it commits in the middle of a snapshot
// (blocks durable, then segment and manifest), and a crash after such a commit loses nothing that was committed.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Index;

public class PendingBoundTests : IDisposable
{
    private readonly TempDir _dir = new("tt-pending");
    public void Dispose() => _dir.Dispose();

    private static byte[] Block(int i) => System.Text.Encoding.ASCII.GetBytes($"block number {i} " + new string('x', i % 97));

    [Fact]
    public void PendingEntriesNeverExceedTheBoundAndEachFlushIsACommit()
    {
        using var repo = Repository.Init(_dir["store"]);
        repo.Blocks.Index.PendingLimit = 500;
        int maxPending = 0;
        for (int i = 0; i < 3_000; i++)
        {
            repo.Blocks.Put(Block(i), BlockType.Data);
            maxPending = Math.Max(maxPending, repo.Blocks.Index.PendingCount);
            Assert.True(repo.Blocks.Index.PendingCount < 500, $"{repo.Blocks.Index.PendingCount} pending after block {i}");
        }
        Assert.Equal(499, maxPending);
        Assert.Equal(3_000 / 500, repo.Blocks.Index.Segments.Sum(s => s.Count) / 500); // six flushes, no final commit yet
        var m = repo.Blocks.Index.Manifest;
        Assert.True(m.WatermarkOffset > ArenaFormat.HeaderSize);
        Assert.True(new FileInfo(repo.Blocks.Arenas.PathOf(m.WatermarkArena)).Length >= m.WatermarkOffset);
    }

    [Fact]
    public void PendingBoundHoldsUnderParallelPuts()
    {
        using var repo = Repository.Init(_dir["store"]);
        repo.Blocks.Index.PendingLimit = 300;
        int over = 0;
        Parallel.For(0, 5_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            repo.Blocks.Put(Block(i), BlockType.Data);
            if (repo.Blocks.Index.PendingCount > 300) Interlocked.Increment(ref over);
        });
        Assert.Equal(0, over);
        repo.Blocks.Commit();
        for (int i = 0; i < 5_000; i++) Assert.Equal(Block(i), repo.Blocks.Get(Score.Of(Block(i))));
    }

    [Fact]
    public void ACrashAfterAMidSnapshotFlushKeepsEveryFlushedBlockAndTheNextWriterIndexesTheRest()
    {
        string store = _dir["store"];
        using (var repo = Repository.Init(store))
        {
            repo.Blocks.Index.PendingLimit = 400;
            for (int i = 0; i < 1_000; i++) repo.Blocks.Put(Block(i), BlockType.Data);
            // "Crash": no final commit. Blocks 0-799 were flushed (durable and indexed); 800-999 are only appended.
        }
        using (var reader = Repository.OpenReader(store))
        {
            for (int i = 0; i < 800; i++) Assert.True(reader.Blocks.TryLocate(Score.Of(Block(i)), out _), $"flushed block {i} not indexed");
            Assert.False(reader.Blocks.TryLocate(Score.Of(Block(999)), out _));
        }
        using (var writer = Repository.OpenWriter(store, "test"))
        {
            writer.Blocks.Commit(); // recovery re-indexed what was appended after the watermark
            for (int i = 0; i < 1_000; i++) Assert.Equal(Block(i), writer.Blocks.Get(Score.Of(Block(i))));
            var verify = new StoreVerifier(writer).Run(readData: true);
            Assert.True(verify.Problems.All(p => $"{p}".Contains("no snapshot")), string.Join("\n", verify.Problems));
        }
    }
}
