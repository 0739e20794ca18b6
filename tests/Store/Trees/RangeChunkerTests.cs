// RangeChunker on hand-picked edits: the stream equals FileChunker's over the whole file, and only the bytes
// around the changes are read (edge cases: empty files, offset 0, EOF, many chunks, all holes, tiny files).
using TimeTravel.Store.Trees;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Store.Trees;

public sealed class RangeChunkerTests(ITestOutputHelper output) : IDisposable
{
    private readonly RangeChunkerHarness _file = new();

    public void Dispose() => _file.Dispose();

    private static byte[] Random(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Checks the exact changes and the 4 KiB / 64 KiB roundings against a whole read; returns the bytes read with exact changes.</summary>
    private long AssertSameAsWhole(string what)
    {
        var whole = _file.Whole();
        long exactRead = -1;
        foreach (var (name, changes) in new[] { ("exact", _file.Exact), ("4k", _file.Rounded(4096)), ("64k", _file.Rounded(65536)) })
        {
            var (stream, read) = _file.Ranged(changes);
            output.WriteLine($"{what} ({name}): read {read} of {_file.Size} bytes, {changes.ChangedBytes} reported changed");
            Assert.Equal(whole, stream);
            if (exactRead < 0) exactRead = read;
        }
        return exactRead;
    }

    [Fact]
    public void AnEmptyFileGivesTheEmptyStreamWithoutReading()
    {
        _file.Snapshot();
        var (stream, read) = _file.Ranged(_file.Exact);
        Assert.Equal(StreamRef.Empty, stream);
        Assert.Equal(0, read);
    }

    [Fact]
    public void AnEmptyFileThatGrewIsReadWhole()
    {
        _file.Snapshot();
        _file.Append(Random(300_000, 1));
        Assert.Equal(300_000, AssertSameAsWhole("grew from empty"));
    }

    [Fact]
    public void AFileThatBecameEmptyIsNotRead()
    {
        _file.Fill(3 << 20, new Random(2));
        _file.Snapshot();
        _file.Truncate(0);
        Assert.Equal(0, AssertSameAsWhole("became empty"));
        Assert.Equal(StreamRef.Empty, _file.Whole());
    }

    [Fact]
    public void AnUnchangedFileWithHolesIsNotReadAtAll()
    {
        _file.Fill(12 << 20, new Random(3));
        var before = _file.Snapshot();
        Assert.Equal(0, AssertSameAsWhole("unchanged"));
        Assert.Equal(before, _file.Whole());
    }

    [Fact]
    public void AChangeAtOffsetZeroReadsAboutTheFirstChunk()
    {
        _file.Fill(8 << 20, new Random(4), holes: false);
        _file.Snapshot();
        _file.Write(0, Random(100, 5));
        long read = AssertSameAsWhole("offset 0");
        Assert.InRange(read, 100, 2 * _file.MaxChunk);
    }

    [Fact]
    public void AChangeOfTheLastByteReadsAboutTheLastChunk()
    {
        _file.Fill(8 << 20, new Random(6), holes: false);
        _file.Snapshot();
        _file.Write(_file.Size - 1, [0x5A]);
        long read = AssertSameAsWhole("last byte");
        Assert.InRange(read, 1, _file.MaxChunk);
    }

    [Fact]
    public void AnAppendReadsTheOldLastChunkAndTheNewBytesOnly()
    {
        _file.Fill(8 << 20, new Random(7), holes: false);
        _file.Snapshot();
        _file.Append(Random(50_000, 8));
        long read = AssertSameAsWhole("append");
        Assert.InRange(read, 50_000, 50_000 + _file.MaxChunk);
    }

    [Fact]
    public void AChangeSpanningManyChunksReadsThemAndLittleMore()
    {
        _file.Fill(16 << 20, new Random(9), holes: false);
        _file.Snapshot();
        _file.Write(3_000_001, Random(5 << 20, 10));
        long read = AssertSameAsWhole("5 MiB write");
        Assert.InRange(read, 5 << 20, (5 << 20) + 2 * _file.MaxChunk);
    }

    [Fact]
    public void AFileThatBecameAllHolesIsNotRead()
    {
        _file.Fill(6 << 20, new Random(11));
        _file.Snapshot();
        _file.PunchHole(0, _file.Size);
        Assert.Equal(0, AssertSameAsWhole("all holes"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5_000)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    public void FilesSmallerThanTheMinimumChunkStayEqual(int size)
    {
        _file.Append(Random(size, size));
        _file.Snapshot();
        _file.Write(size / 2, [1, 2, 3]);
        AssertSameAsWhole($"{size} bytes, write in the middle");
        _file.Snapshot();
        _file.Append([9]);
        AssertSameAsWhole($"{size} bytes, one byte appended");
        _file.Snapshot();
        Assert.Equal(0, AssertSameAsWhole($"{size} bytes, unchanged"));
    }

    [Fact]
    public void AShrinkFollowedByAGrowBackIsSeenThroughTheMinimumSize()
    {
        _file.Fill(4 << 20, new Random(12), holes: false);
        var before = _file.Snapshot();
        long size = _file.Size;
        _file.Truncate(1 << 20);
        _file.Truncate(size); // same size, no range reported: only MinSize says the tail is now zeros
        Assert.Empty(_file.Exact.Ranges);
        AssertSameAsWhole("shrink then grow");
        Assert.NotEqual(before, _file.Whole());
    }

    [Fact]
    public void ZerosThatReadAsDataWhereTheFileShrankAreSeenThroughTheMinimumSize()
    {
        // Shrink, then fallocate back to the old size: unwritten extents, reported as data once their zeroed pages are
        // cached. The extents then cover the old chunks past the shrink, and only MinSize says they are not the old bytes.
        _file.Fill(4 << 20, new Random(17), holes: false);
        _file.Snapshot();
        long size = _file.Size;
        _file.Truncate(1 << 20);
        _file.Allocate(0, size, keepSize: false);
        Assert.Empty(_file.Exact.Ranges);
        _file.Cache();
        var (stream, read) = _file.Ranged(_file.Exact, dropCache: false);
        output.WriteLine($"read {read} of {size} bytes");
        Assert.Equal(_file.Whole(dropCache: false), stream);
        Assert.InRange(read, size - (1 << 20), size - (1 << 20) + _file.MaxChunk);
    }

    [Fact]
    public void WritingBackTheSameBytesGivesThePreviousStream()
    {
        _file.Fill(4 << 20, new Random(13));
        var before = _file.Snapshot();
        _file.Rewrite(1 << 20, 200_000);
        AssertSameAsWhole("identical overwrite");
        Assert.Equal(before, _file.Whole());
    }

    [Fact]
    public void AllocatedBlocksThatNoTrackerReportsStillGiveTheWholeFilesStream()
    {
        _file.Fill(6 << 20, new Random(14));
        _file.Snapshot();
        _file.Allocate(0, 8 << 20, keepSize: false); // fills the holes with unwritten extents and grows the file
        Assert.Empty(_file.Exact.Ranges);
        AssertSameAsWhole("fallocate");
    }

    [Fact]
    public void APunchedHoleInsideAChunkSplitsTheExtent()
    {
        _file.Fill(4 << 20, new Random(15), holes: false);
        _file.Snapshot();
        _file.PunchHole(2 << 20, 64 << 10);
        long read = AssertSameAsWhole("hole punched");
        Assert.InRange(read, 1, 4 * _file.MaxChunk);
    }

    [Fact]
    public void RangesThatOverlapAreRefusedNamingTheFile()
    {
        _file.Fill(1 << 20, new Random(16));
        _file.Snapshot();
        var bad = new ChangedRanges([new ByteRange(100, 50), new ByteRange(120, 10)], long.MaxValue);
        var e = Assert.Throws<ArgumentException>(() => _file.Ranged(bad));
        Assert.Contains(_file.Path, e.Message);
        Assert.Contains("changed range 1", e.Message);
    }

    [Fact]
    public void AnEmptyRangeIsRefused()
    {
        _file.Snapshot();
        var bad = new ChangedRanges([new ByteRange(0, 0)], long.MaxValue);
        Assert.Throws<ArgumentException>(() => _file.Ranged(bad));
    }
}
