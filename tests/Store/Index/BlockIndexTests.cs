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

    [Fact]
    public void MergeOfMoreThanEightSegmentsKeepsEveryEntry()
    {
        var all = RandomEntries(100_000, 5);
        using (var index = new BlockIndex(_dir.Path))
        {
            for (int c = 0; c < 10; c++)
            {
                foreach (var e in all.Skip(c * 10_000).Take(10_000)) index.Add(e.Score, e.Location);
                if (c == 3) index.Add(all[0].Score, all[0].Location); // a score already committed, added again
                index.Commit(0, 1000 + c);
                Assert.True(index.Segments.Count <= BlockIndex.MaxSegmentsBeforeMerge, $"{index.Segments.Count} segments after commit {c}");
            }
            Assert.Equal(0, index.PendingCount);
            Assert.Equal(100_000, index.CommittedEntries().DistinctBy(e => e.Score).Count());
        }
        Assert.True(Directory.GetFiles(_dir.Path, "*.tti").Length <= BlockIndex.MaxSegmentsBeforeMerge);
        using var reopened = new BlockIndex(_dir.Path);
        Assert.Equal(1009, reopened.Manifest.WatermarkOffset);
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
