// Block records: LZ4 only when it helps, and a checksum that catches any damaged byte.
using System.Text;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Arenas;

public class BlockRecordTests
{
    private static byte[] Compressible() => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i % 50}\n")));

    [Fact]
    public void CompressibleContentIsStoredAsLz4AndUnpacksExactly()
    {
        var content = Compressible();
        var score = Score.Of(content);
        var record = BlockRecord.Pack(content, score, BlockType.Directory);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        Assert.Equal(ArenaFormat.CodecLz4, h.Codec);
        Assert.Equal(BlockType.Directory, h.Type);
        Assert.Equal((uint)content.Length, h.RawLength);
        Assert.True(h.StoredLength < content.Length / 4);
        Assert.Equal(ArenaFormat.RecordHeaderSize + (int)h.StoredLength, record.Length);
        Assert.Equal(score, h.Score);
        var back = new byte[h.RawLength];
        Assert.True(BlockRecord.TryUnpack(record, h, back));
        Assert.Equal(content, back);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65_536)]
    [InlineData(ArenaFormat.MaxBlockSize)]
    public void IncompressibleContentIsStoredRaw(int size)
    {
        var content = SourceFiles.Random(size, size);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        Assert.Equal(ArenaFormat.CodecRaw, h.Codec);
        Assert.Equal(h.RawLength, h.StoredLength);
        Assert.Equal(ArenaFormat.RecordHeaderSize + size, record.Length);
        Assert.Equal(content, record.AsSpan(ArenaFormat.RecordHeaderSize).ToArray());
        var back = new byte[size];
        Assert.True(BlockRecord.TryUnpack(record, h, back));
        Assert.Equal(content, back);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChecksumCatchesAFlippedPayloadBit(bool compressible)
    {
        var content = compressible ? Compressible() : SourceFiles.Random(10_000, 3);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        var rng = new Random(4);
        for (int i = 0; i < 50; i++)
        {
            var damaged = (byte[])record.Clone();
            int at = ArenaFormat.RecordHeaderSize + rng.Next((int)h.StoredLength);
            damaged[at] ^= (byte)(1 << rng.Next(8));
            Assert.False(BlockRecord.TryUnpack(damaged, h, new byte[h.RawLength]), $"flip at {at} went unnoticed");
        }
    }

    [Fact]
    public void ChecksumCatchesADamagedScoreOrLength()
    {
        var content = SourceFiles.Random(1000, 5);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data);
        foreach (int at in new[] { ArenaFormat.R_SCORE, ArenaFormat.R_SCORE + 31 })
        {
            var damaged = (byte[])record.Clone();
            damaged[at] ^= 1;
            var h = BlockRecord.UnpackHeader(damaged)!.Value;
            Assert.False(BlockRecord.TryUnpack(damaged, h, new byte[h.RawLength]));
        }
    }

    [Fact]
    public void HeaderWithBadMagicVersionCodecOrSizesIsNotAHeader()
    {
        var content = SourceFiles.Random(1000, 6);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data);
        Assert.NotNull(BlockRecord.UnpackHeader(record));
        foreach (var (at, value) in new[] { (0, (byte)'X'), (ArenaFormat.R_VERSION, (byte)2), (ArenaFormat.R_CODEC, (byte)7),
                     (ArenaFormat.R_TYPE, (byte)9), (ArenaFormat.R_RESERVED, (byte)1), (ArenaFormat.R_STORED_LENGTH, (byte)0xff) })
        {
            var damaged = (byte[])record.Clone();
            damaged[at] = value;
            Assert.Null(BlockRecord.UnpackHeader(damaged));
        }
        Assert.Null(BlockRecord.UnpackHeader(record.AsSpan(0, ArenaFormat.RecordHeaderSize - 1)));
    }

    [Fact]
    public void BlocksAboveTheMaximumAreRefused() =>
        Assert.Throws<ArgumentException>(() => BlockRecord.Pack(new byte[ArenaFormat.MaxBlockSize + 1], Score.Zero, BlockType.Data));
}
