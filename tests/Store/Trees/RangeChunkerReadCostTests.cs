// What a range snapshot reads at the density of the benchmark (1,000 random 4 KiB writes into 10 GiB: one write
// per 10 MiB), on a smaller file: about one chunk per write, under 1.5% of the file with exact ranges and 2% with 64 KiB
// regions.
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Store.Trees;

public sealed class RangeChunkerReadCostTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RandomPageWritesReadAboutOneChunkEach(int seed)
    {
        const long size = 160L << 20;
        const int writes = 16;
        var rng = new Random(seed);
        using var file = new RangeChunkerHarness();
        file.Fill(size, rng, holes: false);
        file.Snapshot();
        var page = new byte[4096];
        for (int i = 0; i < writes; i++)
        {
            rng.NextBytes(page);
            file.Write(rng.NextInt64(size - page.Length), page);
        }
        var wholeClock = System.Diagnostics.Stopwatch.StartNew();
        var whole = file.Whole();
        output.WriteLine($"seed {seed} whole read: {wholeClock.ElapsedMilliseconds} ms");
        foreach (var (name, changes, limit) in new[] { ("exact", file.Exact, 0.015), ("64k", file.Rounded(65536), 0.02) })
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (stream, read) = file.Ranged(changes);
            output.WriteLine($"seed {seed} {name}: {clock.ElapsedMilliseconds} ms, read {read} bytes for {changes.ChangedBytes} changed " +
                $"({(double)read / size:P2} of {size}, {read / writes} per write, x{(double)read / changes.ChangedBytes:F1} the changed bytes)");
            Assert.Equal(whole, stream);
            Assert.InRange(read, changes.ChangedBytes, (long)(size * limit));
        }
    }
}
