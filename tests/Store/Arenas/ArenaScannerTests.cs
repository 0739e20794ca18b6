// Arena scans after crashes and damage: torn tails are cut off, corrupt records are skipped and reported.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Arenas;

public class ArenaScannerTests : IDisposable
{
    private readonly TempDir _dir = new("tt-arena");
    private readonly ArenaSet _set;
    private readonly List<(BlockLocation Loc, Score Score, byte[] Content)> _written = [];

    public ArenaScannerTests()
    {
        try
        {
            _set = new ArenaSet(_dir.Path);
            using var w = new ArenaWriter(_set, ArenaFormat.DefaultMaxArenaSize, 0, 0);
            var rng = new Random(8);
            for (int i = 0; i < 20; i++) Append(w, SourceFiles.Random(rng.Next(1, 100_000), i));
            w.Sync();
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() { _set?.Dispose(); _dir.Dispose(); }

    private string ArenaPath => _set.PathOf(0);

    private void Append(ArenaWriter w, byte[] content)
    {
        var score = Score.Of(content);
        var loc = w.Append(BlockRecord.Pack(content, score, BlockType.Data), (uint)content.Length);
        _written.Add((loc, score, content));
    }

    private (List<ScannedRecord> Records, ScanResult Result) Scan()
    {
        var result = new ScanResult();
        return (ArenaScanner.Scan(ArenaPath, 0, result).ToList(), result);
    }

    [Fact]
    public void CleanArenaYieldsEveryRecordInOrder()
    {
        var (records, result) = Scan();
        Assert.Equal(_written.Select(w => (long)w.Loc.Offset), records.Select(r => r.Offset));
        Assert.Equal(_written.Select(w => w.Score), records.Select(r => r.Header.Score));
        Assert.Equal(_written.Select(w => w.Loc), records.Select(r => r.Location(0)));
        Assert.False(result.TornTail);
        Assert.Empty(result.Corrupt);
        Assert.Equal(new FileInfo(ArenaPath).Length, result.ValidEnd);
        foreach (var (loc, score, content) in _written) Assert.Equal(content, _set.Read(loc, score, verifyScore: true));
    }

    [Fact]
    public void TornTailIsDetectedAndCutOffByTheNextWriter()
    {
        var last = _written[^1].Loc;
        using (var f = new FileStream(ArenaPath, FileMode.Open, FileAccess.Write))
        {
            f.SetLength(last.Offset + ArenaFormat.RecordHeaderSize + last.StoredLength / 2); // crash mid-payload
            f.Seek(0, SeekOrigin.End);
            f.Write(SourceFiles.Random(5000, 99));                                           // then garbage
        }
        var (records, result) = Scan();
        Assert.Equal(_written.Count - 1, records.Count);
        Assert.True(result.TornTail);
        Assert.Empty(result.Corrupt);
        Assert.Equal(last.Offset, result.ValidEnd);

        _set.Dispose();
        using (var w = new ArenaWriter(_set, ArenaFormat.DefaultMaxArenaSize, 0, result.ValidEnd))
        {
            Assert.Equal(last.Offset, w.CurrentEnd);
            Append(w, SourceFiles.Random(777, 100));
            w.Sync();
        }
        (records, result) = Scan();
        Assert.False(result.TornTail);
        Assert.Equal(_written.Count - 1, records.Count);
        Assert.Equal(_written[^1].Score, records[^1].Header.Score);
        Assert.Equal(new FileInfo(ArenaPath).Length, result.ValidEnd);
    }

    [Theory]
    [InlineData(0)]                               // magic
    [InlineData(ArenaFormat.R_STORED_LENGTH)]     // a length that points elsewhere
    [InlineData(ArenaFormat.RecordHeaderSize + 10)] // payload
    public void CorruptRecordInTheMiddleIsReportedAndLaterRecordsAreFound(int byteInRecord)
    {
        var bad = _written[7].Loc;
        Damage.FlipBits(ArenaPath, bad.Offset + byteInRecord, 0x10);
        var (records, result) = Scan();
        Assert.Equal(_written.Where((_, i) => i != 7).Select(w => w.Score), records.Select(r => r.Header.Score));
        Assert.False(result.TornTail);
        var (offset, length) = Assert.Single(result.Corrupt);
        Assert.Equal(bad.Offset, offset);
        Assert.Equal(bad.RecordLength, length);
        var ex = Assert.Throws<BlockReadException>(() => _set.Read(bad, _written[7].Score, verifyScore: true));
        Assert.Contains(ArenaPath, ex.Message);
    }

    [Fact]
    public void DamagedRawPayloadFailsItsChecksumEvenWithoutTheScoreCheck()
    {
        var (bad, score, content) = _written[7];
        Assert.Equal(bad.RawLength, bad.StoredLength); // random content is stored raw: read straight into the caller's buffer
        Damage.FlipBits(ArenaPath, bad.Offset + ArenaFormat.RecordHeaderSize + content.Length / 2, 0x01);
        var dest = new byte[content.Length];
        var ex = Assert.Throws<BlockReadException>(() => _set.Read(bad, score, verifyScore: false, dest));
        Assert.Contains("checksum", ex.Message);
        Assert.Contains(ArenaPath, ex.Message);
        var (good, goodScore, goodContent) = _written[8];
        var goodDest = new byte[goodContent.Length];
        _set.Read(good, goodScore, verifyScore: false, goodDest);
        Assert.Equal(goodContent, goodDest);
    }

    [Fact]
    public void ScanFromAnOffsetStartsThere()
    {
        var result = new ScanResult();
        var records = ArenaScanner.Scan(ArenaPath, _written[10].Loc.Offset, result).ToList();
        Assert.Equal(_written.Skip(10).Select(w => w.Score), records.Select(r => r.Header.Score));
    }

    [Fact]
    public void DamagedArenaHeaderIsRefusedNamingTheFile()
    {
        var header = File.ReadAllBytes(ArenaPath).AsSpan(0, ArenaFormat.HeaderSize).ToArray();
        Assert.Equal(0u, ArenaHeader.Unpack(header, ArenaPath).Number);
        header[ArenaFormat.H_CREATED] ^= 1;
        var ex = Assert.Throws<TimeTravel.Store.StoreFormatException>(() => ArenaHeader.Unpack(header, ArenaPath));
        Assert.Contains(ArenaPath, ex.Message);
    }

    [Fact]
    public void FullArenaIsSealedAndTheNextOneStarted()
    {
        using var dir = new TempDir("tt-arena2");
        using var set = new ArenaSet(dir.Path);
        var locs = new List<BlockLocation>();
        using (var w = new ArenaWriter(set, 200_000, 0, 0))
        {
            for (int i = 0; i < 10; i++)
            {
                var c = SourceFiles.Random(50_000, i);
                locs.Add(w.Append(BlockRecord.Pack(c, Score.Of(c), BlockType.Data), (uint)c.Length));
            }
            w.Sync();
        }
        Assert.True(set.List().Count >= 3);
        Assert.All(set.List(), n => Assert.True(new FileInfo(set.PathOf(n)).Length <= 200_000));
        for (int i = 0; i < 10; i++)
            Assert.Equal(SourceFiles.Random(50_000, i), set.Read(locs[i], Score.Of(SourceFiles.Random(50_000, i)), true));
    }
}
