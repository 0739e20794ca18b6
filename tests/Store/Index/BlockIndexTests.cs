// Index segments and the block index: lookups over many entries, merges that lose nothing, crash leftovers.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Index;

public class BlockIndexTests : IDisposable
{
    private readonly TempDir _dir = new("tt-index");
    public void Dispose() => _dir.Dispose();

    private static List<IndexEntry> RandomEntries(int count, int seed)
    {
        var rng = new Random(seed);
        var entries = new List<IndexEntry>(count);
        var b = new byte[Score.Size];
        for (int i = 0; i < count; i++)
        {
            rng.NextBytes(b);
            entries.Add(new IndexEntry(Score.Read(b), new BlockLocation((uint)rng.Next(100), (uint)rng.Next(), (uint)rng.Next(1 << 20), (uint)rng.Next(1 << 22))));
        }
        return entries;
    }

    [Fact]
    public void SegmentFindsEveryEntryAndMissesAbsentScores()
    {
        var entries = RandomEntries(100_000, 1);
        var sorted = entries.OrderBy(e => e.Score).ToList();
        string path = _dir["00000001.tti"];
        Assert.Equal(100_000, IndexSegment.Write(path, sorted, sorted.Count));
        using var seg = IndexSegment.Open(path);
        Assert.Equal(100_000, seg.Count);
        foreach (var e in entries)
        {
            Assert.True(seg.TryGet(e.Score, out var found), $"{e.Score} not found");
            Assert.Equal(e, found);
            Assert.True(seg.MayContain(e.Score));
        }
        int bloomSaysMaybe = 0;
        foreach (var absent in RandomEntries(100_000, 2))
        {
            Assert.False(seg.TryGet(absent.Score, out _));
            if (seg.MayContain(absent.Score)) bloomSaysMaybe++;
        }
        Assert.True(bloomSaysMaybe < 3_000, $"Bloom filter said maybe for {bloomSaysMaybe} of 100000 absent scores");
        Assert.Null(seg.Check());
        Assert.Equal(sorted, seg.Entries().ToList());
    }

    [Fact]
    public void SegmentKeepsTheFirstOfDuplicateScoresAndRefusesDisorder()
    {
        var e = RandomEntries(3, 3).OrderBy(x => x.Score).ToList();
        var dup = e[1] with { Location = new BlockLocation(9, 9, 9, 9) };
        Assert.Equal(3, IndexSegment.Write(_dir["a.tti"], [e[0], e[1], dup, e[2]], 4));
        using (var seg = IndexSegment.Open(_dir["a.tti"]))
            Assert.True(seg.TryGet(e[1].Score, out var found) && found == e[1]);
        Assert.Throws<InvalidOperationException>(() => IndexSegment.Write(_dir["b.tti"], [e[2], e[0]], 2));
    }

    [Fact]
    public void DamagedSegmentIsCaughtByCheckOrOpen()
    {
        var sorted = RandomEntries(1000, 4).OrderBy(e => e.Score).ToList();
        string path = _dir["00000001.tti"];
        IndexSegment.Write(path, sorted, sorted.Count);
        var bytes = File.ReadAllBytes(path);
        bytes[IndexFormat.HeaderSize + 100] ^= 1;
        File.WriteAllBytes(path, bytes);
        using (var seg = IndexSegment.Open(path)) Assert.Contains(path, seg.Check());
        File.WriteAllBytes(path, bytes[..^10]);
        Assert.Contains("wrong length", Assert.Throws<TimeTravel.Store.StoreFormatException>(() => IndexSegment.Open(path)).Message);
    }

    private static Dictionary<int, int> SegmentsPerTier(BlockIndex index) =>
        index.Segments.GroupBy(s => BlockIndex.TierOf(s.Count)).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void TieredMergingKeepsEveryEntryAndFewerThanFanInSegmentsPerTier()
    {
        var all = RandomEntries(100_000, 5);
        using (var index = new BlockIndex(_dir.Path))
        {
            for (int c = 0; c < 50; c++)
            {
                foreach (var e in all.Skip(c * 2_000).Take(2_000)) index.Add(e.Score, e.Location);
                if (c == 3) index.Add(all[0].Score, all[0].Location); // a score already committed, added again
                index.Commit(0, 1000 + c);
                Assert.All(SegmentsPerTier(index), t => Assert.True(t.Value < BlockIndex.MergeFanIn, $"tier {t.Key} holds {t.Value} segments after commit {c}"));
            }
            Assert.Equal(0, index.PendingCount);
            Assert.Equal(100_000, index.CommittedEntries().DistinctBy(e => e.Score).Count());
            Assert.Equal(index.Segments.Count, Directory.GetFiles(_dir.Path, "*.tti").Length);
        }
        using var reopened = new BlockIndex(_dir.Path);
        Assert.Equal(1049, reopened.Manifest.WatermarkOffset);
        foreach (var e in all)
        {
            Assert.True(reopened.TryGet(e.Score, out var loc), $"{e.Score} lost");
            Assert.Equal(e.Location, loc);
            Assert.True(reopened.Contains(e.Score));
        }
        foreach (var absent in RandomEntries(10_000, 6))
        {
            Assert.False(reopened.TryGet(absent.Score, out _));
            Assert.False(reopened.Contains(absent.Score));
        }
    }

    [Fact]
    public void AMergeRewritesOneTierAndLeavesLargerSegmentsAlone()
    {
        var big = RandomEntries(4 * 70_000, 9); // four tier-1 segments: they merge into one of tier 2
        var small = RandomEntries(40_000, 10);
        using var index = new BlockIndex(_dir.Path);
        for (int c = 0; c < 4; c++)
        {
            foreach (var e in big.Skip(c * 70_000).Take(70_000)) index.Add(e.Score, e.Location);
            index.Commit(0, 64);
        }
        var large = Assert.Single(index.Segments);
        Assert.Equal(280_000, large.Count);
        Assert.Equal(2, BlockIndex.TierOf(large.Count));
        long before = File.GetLastWriteTimeUtc(large.Path).Ticks;
        for (int c = 0; c < 8; c++) // eight small commits: two tier-0 merges, the tier-2 segment untouched
        {
            foreach (var e in small.Skip(c * 5_000).Take(5_000)) index.Add(e.Score, e.Location);
            index.Commit(0, 64);
            Assert.Contains(index.Segments, s => s.Path == large.Path);
        }
        Assert.Equal(before, File.GetLastWriteTimeUtc(large.Path).Ticks);
        Assert.Equal(["00000005.tti"], index.Manifest.Segments.Take(1)); // the merged segment keeps its place, oldest first
        Assert.True(index.Segments.Count < 1 + BlockIndex.MergeFanIn);
        foreach (var e in big.Concat(small)) Assert.True(index.TryGet(e.Score, out var loc) && loc == e.Location);
    }

    [Fact]
    public void MergedSegmentsGetABloomFilterSizedForTheirCount()
    {
        using var index = new BlockIndex(_dir.Path);
        var all = RandomEntries(4 * 20_000, 11);
        for (int c = 0; c < 4; c++)
        {
            foreach (var e in all.Skip(c * 20_000).Take(20_000)) index.Add(e.Score, e.Location);
            index.Commit(0, 64);
        }
        var merged = Assert.Single(index.Segments);
        Assert.Equal(80_000, merged.Count);
        int maybe = RandomEntries(50_000, 12).Count(a => merged.MayContain(a.Score));
        Assert.True(maybe < 50_000 / 100, $"the merged filter said maybe for {maybe} of 50000 absent scores");
    }

    [Fact]
    public void ReaderSeesAnotherProcesssCommitWithoutReopening()
    {
        var e = RandomEntries(2, 7);
        using var writer = new BlockIndex(_dir.Path);
        using var reader = new BlockIndex(_dir.Path);
        writer.Add(e[0].Score, e[0].Location);
        writer.Commit(0, 64);
        Assert.True(reader.TryGet(e[0].Score, out var loc) && loc == e[0].Location);
        Assert.False(reader.TryGet(e[1].Score, out _));
    }

    [Fact]
    public void OrphanSegmentsFromACrashAreRemoved()
    {
        var e = RandomEntries(10, 8).OrderBy(x => x.Score).ToList();
        using var index = new BlockIndex(_dir.Path);
        index.Add(e[0].Score, e[0].Location);
        index.Commit(0, 64);
        IndexSegment.Write(_dir["00000099.tti"], e, e.Count); // written, never named by a manifest
        File.WriteAllText(_dir["manifest.tmp"], "half");
        index.RemoveOrphanSegments();
        Assert.Equal(["00000001.tti"], Directory.GetFiles(_dir.Path, "*.tti").Select(Path.GetFileName));
        Assert.False(File.Exists(_dir["manifest.tmp"]));
    }
}
