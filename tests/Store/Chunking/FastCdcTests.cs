// FastCDC: cut points depend on nearby content only, and chunk sizes respect the store's limits.
using TimeTravel.Store.Chunking;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Chunking;

public class FastCdcTests
{
    private static readonly ChunkerParameters P = ChunkerParameters.Default;

    private static List<(int Offset, int Length, Score Score)> Chunks(byte[] data)
    {
        var cdc = new FastCdc(P);
        var chunks = new List<(int, int, Score)>();
        for (int at = 0; at < data.Length;)
        {
            int cut = cdc.NextCut(data.AsSpan(at));
            chunks.Add((at, cut, Score.Of(data.AsSpan(at, cut))));
            at += cut;
        }
        return chunks;
    }

    [Fact]
    public void ChunkBoundariesSurviveAnInsertion()
    {
        var data = SourceFiles.Random(8 << 20, 42);
        const int editAt = 4 << 20;
        var edited = new byte[data.Length + 100];
        data.AsSpan(0, editAt).CopyTo(edited);
        SourceFiles.Random(100, 43).CopyTo(edited, editAt);
        data.AsSpan(editAt).CopyTo(edited.AsSpan(editAt + 100));

        var before = Chunks(data);
        var after = Chunks(edited);

        // Every chunk that ends before the edit is cut exactly as before.
        var untouched = before.TakeWhile(c => c.Offset + c.Length <= editAt).ToList();
        Assert.True(untouched.Count > 10);
        Assert.Equal(untouched, after.Take(untouched.Count).ToList());

        // After the edit the cuts re-synchronise: at most two chunks are new, and they all sit at the edit.
        var known = before.Select(c => c.Score).ToHashSet();
        var fresh = after.Where(c => !known.Contains(c.Score)).ToList();
        Assert.InRange(fresh.Count, 1, 2);
        Assert.All(fresh, c => Assert.InRange(c.Offset, untouched[^1].Offset, editAt + 100 + P.MaxSize));
        var tailBefore = before.Skip(untouched.Count).Select(c => c.Score).ToList();
        var tailAfter = after.Skip(untouched.Count).Select(c => c.Score).ToList();
        Assert.Equal(tailBefore.TakeLast(tailAfter.Count - fresh.Count), tailAfter.Skip(fresh.Count));
    }

    [Fact]
    public void ChunkSizesStayWithinMinAndMaxAndClusterAroundTheAverage()
    {
        var chunks = Chunks(SourceFiles.Random(8 << 20, 9));
        foreach (var c in chunks.Take(chunks.Count - 1)) Assert.InRange(c.Length, P.MinSize, P.MaxSize);
        Assert.InRange(chunks[^1].Length, 1, P.MaxSize);
        double mean = chunks.Average(c => c.Length);
        Assert.InRange(mean, P.AverageSize / 2.0, P.AverageSize * 2.0);
    }

    [Fact]
    public void ShortInputIsOneChunk()
    {
        var cdc = new FastCdc(P);
        Assert.Equal(100, cdc.NextCut(new byte[100]));
        Assert.Equal(P.MinSize, cdc.NextCut(new byte[P.MinSize]));
    }

    [Theory]
    [InlineData(0, 64, 128)]
    [InlineData(64, 32, 128)]
    [InlineData(16, 48, 128)]
    [InlineData(16, 64, 32)]
    public void InconsistentSizesAreRejected(int min, int avg, int max) =>
        Assert.Throws<ArgumentException>(() => new FastCdc(new ChunkerParameters(min, avg, max)));

    // Cut points are part of the format: changed cuts would store every file again and dedup nothing against older
    // snapshots. The input is generated here (SplitMix64), independent of any library's random numbers.
    [Fact]
    public void CutPointsOfAFixedInputNeverChange()
    {
        var data = new byte[4 << 20];
        ulong x = 7;
        for (int i = 0; i < data.Length; i += 8)
        {
            x += 0x9E3779B97F4A7C15;
            ulong z = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            BitConverter.TryWriteBytes(data.AsSpan(i), z ^ (z >> 31));
        }
        var lengths = Chunks(data).Select(c => c.Length).ToList();
        Assert.Equal(58, lengths.Count);
        Assert.Equal([68268, 33385, 86743, 105729, 66728, 68014, 69959, 43185], lengths.Take(8));
        Assert.Equal(data.Length, lengths.Sum());
    }
}
