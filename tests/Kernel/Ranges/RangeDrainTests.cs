// The snapshot side of the range maps: epochs, consuming exactly what was read, inode reuse, coarsening, restarts.
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Ranges;
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

[NeedsBpf, NeedsRoot]
[Collection(RangeTrackerCollection.Name)]
public sealed class RangeDrainTests : IDisposable
{
    private const long Mi = 1L << 20;
    private readonly TrackedScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private string NewFile(string name, long size = 4 * Mi)
    {
        var path = _scratch.PathOf(name);
        using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        f.Write(new byte[size]);
        f.Flush(flushToDisk: true);
        return path;
    }

    private static void Write(string path, long offset, int length = 10)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(h, Enumerable.Repeat((byte)0x5A, length).ToArray(), offset);
        RandomAccess.FlushToDisk(h);
    }

    private static bool Touches(FileRanges? ranges, long offset) =>
        ranges is not null && ranges.Ranges.Any(r => r.Offset <= offset && offset < r.End);

    [Fact]
    public void EntriesWrittenAfterTheFlipStayForTheNextRead()
    {
        var path = NewFile("f");
        _scratch.Settle();
        var key = TrackedScratch.KeyOf(path);
        using var maps = _scratch.Open();

        Write(path, Mi);
        ulong closed = maps.Flip();
        Write(path, 3 * Mi);
        var first = maps.Read(closed);
        Assert.True(Touches(first.Files[key], Mi));
        Assert.False(Touches(first.Files[key], 3 * Mi), "a write after the flip was read with the closed epoch");
        maps.Consume(first);

        var second = maps.Read(maps.Flip());
        Assert.True(Touches(second.Files[key], 3 * Mi), "a write after the flip was lost");
        Assert.False(Touches(second.Files[key], Mi), "an entry consumed by the first snapshot came back");
    }

    [Fact]
    public void AnUnconsumedReadIsReadAgainWithNewerChanges()
    {
        var path = NewFile("f");
        _scratch.Settle();
        var key = TrackedScratch.KeyOf(path);
        using var maps = _scratch.Open();
        Write(path, Mi);
        maps.Read(maps.Flip());   // a snapshot that failed: no Consume
        Write(path, 3 * Mi);
        var again = maps.Read(maps.Flip());
        Assert.True(Touches(again.Files[key], Mi) && Touches(again.Files[key], 3 * Mi));
    }

    [Fact]
    public void ConsumeKeepsAnEntryThatChangedSinceItWasRead()
    {
        var path = NewFile("f", 0);
        _scratch.Settle();
        var key = TrackedScratch.KeyOf(path);
        using var maps = _scratch.Open();
        Write(path, 0);
        var drain = maps.Read(maps.Flip());
        var (regionKey, bits) = drain.RegionEntries.Single(e => e.Key.Ino == key.Inode);
        Assert.Equal(0UL, bits[1] & (1UL << 36));   // a small write to a new file: only the first granules

        // A program that still held the closed epoch sets one more bit (granule 100 of the same region) after the read.
        using (var regions = BpfMap.OpenPinned(Path.Combine(_scratch.PinDirectory, RangeMapLayout.RegionsMap), out _)!)
        {
            bits[100 / 64] |= 1UL << (100 % 64);
            Assert.Equal(0, regions.Update(regionKey, bits, Libbpf.BPF_ANY));
        }
        maps.Consume(drain);

        var next = maps.Read(maps.Flip());
        Assert.True(Touches(next.Files[key], 100 * 4096), "the bit set after the read was deleted with the entry");
    }

    [Fact]
    public void ARecreatedFileWithTheSameInodeNumberGetsItsOwnKey()
    {
        var first = NewFile("f");
        _scratch.Settle();
        var old = TrackedScratch.KeyOf(first);
        Write(first, 3 * Mi);
        File.Delete(first);

        InodeKey? reused = null;
        for (int i = 0; i < 20 && reused is null; i++)
        {
            var candidate = NewFile("g" + i, Mi);
            var key = TrackedScratch.KeyOf(candidate);
            if (key.Inode == old.Inode) { reused = key; Write(candidate, 4096); }
        }
        Assert.True(reused is not null, "ext4 did not reuse the inode number: the test cannot show anything");
        Assert.NotEqual(old.Generation, reused.Value.Generation);

        using var maps = _scratch.Open();
        var drain = maps.Read(maps.Flip());
        Assert.False(Touches(drain.Files[reused.Value], 3 * Mi), "the deleted file's ranges were applied to the new one");
        Assert.True(Touches(drain.Files[reused.Value], 4096));
    }

    [Fact]
    public void ManyScatteredWritesCoarsenButStayCovered()
    {
        var path = _scratch.PathOf("sparse");
        const int writes = 1500;   // more level 0 regions (2 MiB each) than a file may create before coarsening
        const long spacing = 2 * Mi;
        using (var h = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            for (int i = 0; i < writes; i++) RandomAccess.Write(h, new byte[] { 1 }, i * spacing + 123);
            RandomAccess.FlushToDisk(h);
        }
        var key = TrackedScratch.KeyOf(path);
        using var maps = _scratch.Open();
        var drain = maps.Read(maps.Flip());
        var found = drain.Files[key];
        Assert.False(found.Rescan);
        for (int i = 0; i < writes; i++) Assert.True(Touches(found, i * spacing + 123), $"write {i} is not covered");
        int entries = drain.RegionEntries.Count(e => e.Key.Ino == key.Inode);
        Assert.InRange(entries, 1024, 1024 + 64);   // the rest went into 32 MiB (level 1) regions
    }

    [Fact]
    public void ARestartedTrackerKeepsWhatWasRecordedAndStartsANewSession()
    {
        var path = NewFile("f");
        _scratch.Settle();
        var key = TrackedScratch.KeyOf(path);
        Write(path, Mi);
        ulong before = _scratch.Tracker!.Session;

        _scratch.StopTracker();
        using (var stopped = _scratch.Open()) Assert.Equal(0UL, stopped.Session);
        _scratch.StartTracker();
        Write(path, 3 * Mi);

        using var maps = _scratch.Open();
        Assert.NotEqual(0UL, maps.Session);
        Assert.NotEqual(before, maps.Session);
        var drain = maps.Read(maps.Flip());
        Assert.True(Touches(drain.Files[key], Mi), "the restart dropped what the first tracker recorded");
        Assert.True(Touches(drain.Files[key], 3 * Mi));
    }

    [Fact]
    public void AStoppedTrackerRecordsNothing()
    {
        var path = NewFile("f");
        _scratch.Settle();
        _scratch.StopTracker();
        Write(path, Mi);
        Assert.Null(_scratch.Changes(path));
        using var maps = _scratch.Open();
        Assert.Equal(0UL, maps.Session);
    }
}
