// Every way of changing an ext4 file's bytes gives ranges that cover what was written, and not much more.
using System.IO.MemoryMappedFiles;
using TimeTravel.Kernel.Ranges;
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

[NeedsBpf, NeedsRoot]
[Collection(RangeTrackerCollection.Name)]
public sealed class WritePathTests : IDisposable
{
    private const long Mi = 1L << 20;
    private readonly TrackedScratch _scratch = new();
    private readonly string _file;

    public WritePathTests()
    {
        _file = _scratch.PathOf("data");
        var bytes = new byte[4 * Mi];
        new Random(12).NextBytes(bytes);
        using (var f = new FileStream(_file, FileMode.CreateNew, FileAccess.Write))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        _scratch.Settle();
    }

    public void Dispose() => _scratch.Dispose();

    private void Write(long offset, int length)
    {
        using var h = File.OpenHandle(_file, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(h, new byte[length].Select((_, i) => (byte)(i * 7 + 1)).ToArray(), offset);
        RandomAccess.FlushToDisk(h);
    }

    [Fact]
    public void PwriteIsCoveredByteExactlyUpToAFolio()
    {
        Write(Mi + 10, 100);
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, Mi + 10, 100);
        RangeAssert.WithinFolios(found!, (Mi + 10, 100));
    }

    [Fact]
    public void AppendIsCoveredAtTheOldEnd()
    {
        using (var f = new FileStream(_file, FileMode.Append, FileAccess.Write))
        {
            f.Write(new byte[100].Select(_ => (byte)9).ToArray());
            f.Flush(flushToDisk: true);
        }
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, 4 * Mi, 100);
        RangeAssert.WithinFolios(found!, (4 * Mi, 100));
    }

    [Fact]
    public void DirectWriteIsCovered()
    {
        Shell.Bash($"dd if=/dev/urandom of='{_file}' bs=4096 seek=300 count=3 oflag=direct conv=notrunc status=none");
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, 300 * 4096, 3 * 4096);
        RangeAssert.WithinFolios(found!, (300 * 4096, 3 * 4096));
    }

    [Fact]
    public void MmapStoreIsCoveredAfterMsync()
    {
        using (var map = MemoryMappedFile.CreateFromFile(_file, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite))
        using (var view = map.CreateViewAccessor(3 * Mi, 4096))
        {
            for (int i = 0; i < 16; i++) view.Write(5 + i, (byte)0xAB);
            view.Flush();
        }
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, 3 * Mi + 5, 16);
        RangeAssert.WithinFolios(found!, (3 * Mi + 5, 16));
    }

    [Fact]
    public void ShrinkThenGrowKeepsTheSmallestSize()
    {
        using (var f = new FileStream(_file, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(Mi + 3);
            f.SetLength(6 * Mi);
            f.Flush(flushToDisk: true);
        }
        var found = _scratch.Changes(_file);
        Assert.NotNull(found);
        Assert.Equal(Mi + 3, found.MinSize);
        Assert.False(found.Rescan);
    }

    [Fact]
    public void PlainFallocateChangesNoBytes()
    {
        Shell.Bash($"fallocate -o {8 * Mi} -l {Mi} '{_file}' && fallocate -n -o 0 -l {Mi} '{_file}'");
        var found = _scratch.Changes(_file);
        Assert.True(found is null || found.Ranges.Count == 0, "allocation alone was reported as a change: " +
            (found is null ? "" : RangeAssert.Describe(found.Ranges)));
    }

    [Fact]
    public void PunchHoleIsCovered()
    {
        Shell.Bash($"fallocate -p -o {Mi + 4096} -l 65536 '{_file}'");
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, Mi + 4096, 65536);
        RangeAssert.WithinFolios(found!, (Mi + 4096, 65536));
    }

    [Fact]
    public void ZeroRangeIsCovered()
    {
        Shell.Bash($"fallocate -z -o {2 * Mi + 100} -l 5000 '{_file}'");
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, 2 * Mi + 100, 5000);
        RangeAssert.WithinFolios(found!, (2 * Mi + 100, 5000));
    }

    [Fact]
    public void CollapseRangeCoversToTheOldEndAndRecordsTheShrink()
    {
        Shell.Bash($"fallocate -c -o {Mi} -l {Mi} '{_file}'");
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, Mi, 3 * Mi);
        Assert.Equal(3 * Mi, found!.MinSize);
    }

    [Fact]
    public void InsertRangeCoversToTheNewEnd()
    {
        Shell.Bash($"fallocate -i -o {Mi} -l {Mi} '{_file}'");
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, Mi, 4 * Mi);
    }

    [Fact]
    public void CopyFileRangeIsCoveredInTheTarget()
    {
        var source = _scratch.PathOf("source");
        File.WriteAllBytes(source, new byte[300 * 1024].Select((_, i) => (byte)i).ToArray());
        using (var input = File.OpenHandle(source))
        using (var output = File.OpenHandle(_file, FileMode.Open, FileAccess.ReadWrite))
        {
            CopyFileRange.Copy(input, 0, output, Mi + 512, 300 * 1024);
            RandomAccess.FlushToDisk(output);
        }
        var found = _scratch.Changes(_file);
        RangeAssert.Covers(found, Mi + 512, 300 * 1024);
        RangeAssert.WithinFolios(found!, (Mi + 512, 300 * 1024));
    }

    [Fact]
    public void AnUntouchedFileHasNoEntry()
    {
        var other = _scratch.PathOf("other");
        File.WriteAllBytes(other, new byte[8192]);
        Write(Mi, 10);
        _scratch.Settle();
        Write(2 * Mi, 10);
        Assert.Null(_scratch.Changes(other));
    }
}
