// Block records: LZ4 or zstd only when they help, and a checksum that catches any damaged byte.
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

    // Base64 of random bytes: six bits of entropy per byte and no repeats, so LZ4 finds nothing and zstd's entropy
    // stage takes a quarter off. This is what a rotated log of random tokens looks like to a compressor.
    private static byte[] Base64Text(int seed) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(SourceFiles.Random(48_000, seed), Base64FormattingOptions.InsertLineBreaks));

    [Fact]
    public void TextThatLz4CannotShrinkIsStoredAsZstdWhenTheStoreAllowsIt()
    {
        var content = Base64Text(7);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        Assert.Equal(ArenaFormat.CodecZstd, h.Codec);
        Assert.True(h.StoredLength < content.Length * 13 / 16, $"{h.StoredLength} of {content.Length}");
        var back = new byte[h.RawLength];
        Assert.True(BlockRecord.TryUnpack(record, h, back));
        Assert.Equal(content, back);
    }

    [Fact]
    public void AFormatOneStoreNeverGetsZstdRecords()
    {
        var content = Base64Text(8);
        var h = BlockRecord.UnpackHeader(BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4))!.Value;
        Assert.NotEqual(ArenaFormat.CodecZstd, h.Codec);
    }

    [Fact]
    public void ABlockZstdShrinksByLessThanASixteenthIsStoredAsLz4()
    {
        // Random bytes with one 3 KiB repeat: both codecs can take only the repeat off (under 5 %), too little for
        // zstd's sixteenth, and LZ4 still shrinks the block.
        var content = SourceFiles.Random(64_000, 11);
        content.AsSpan(0, 3_000).CopyTo(content.AsSpan(40_000));
        var h = BlockRecord.UnpackHeader(BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd))!.Value;
        Assert.Equal(ArenaFormat.CodecLz4, h.Codec);
        Assert.True(h.StoredLength < content.Length, $"{h.StoredLength} of {content.Length}");
    }

    [Fact]
    public void RepetitiveContentIsStoredAsZstdWhenTheStoreAllowsIt()
    {
        var content = Compressible();
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        Assert.Equal(ArenaFormat.CodecZstd, h.Codec);
        var back = new byte[h.RawLength];
        Assert.True(BlockRecord.TryUnpack(record, h, back));
        Assert.Equal(content, back);
    }

    [Fact]
    public void RandomContentStaysRawWithZstdAllowed()
    {
        var content = SourceFiles.Random(65_536, 9);
        var h = BlockRecord.UnpackHeader(BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd))!.Value;
        Assert.Equal(ArenaFormat.CodecRaw, h.Codec);
    }

    [Fact]
    public void AZstdFrameOfTheWrongLengthIsRefused()
    {
        // A frame whose CRC is right but whose content is longer than the header says (a bug, or a forged record)
        // must not overrun the destination or pass as the block.
        var content = Base64Text(10);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        var shorter = h with { RawLength = h.RawLength - 1 };
        Assert.False(BlockRecord.TryUnpack(record, shorter, new byte[h.RawLength]));
    }

    [Fact]
    public void ZstdPayloadDamageIsCaughtByTheChecksum()
    {
        var content = Base64Text(11);
        var record = BlockRecord.Pack(content, Score.Of(content), BlockType.Data, RecordCodecs.Lz4OrZstd);
        var h = BlockRecord.UnpackHeader(record)!.Value;
        record[ArenaFormat.RecordHeaderSize + 100] ^= 0x10;
        Assert.False(BlockRecord.TryUnpack(record, h, new byte[h.RawLength]));
    }

    [Fact]
    public void BlocksAboveTheMaximumAreRefused() =>
        Assert.Throws<ArgumentException>(() => BlockRecord.Pack(new byte[ArenaFormat.MaxBlockSize + 1], Score.Zero, BlockType.Data));

    // The store packs into pooled buffers, larger than the record and holding an earlier block's bytes.
    [Theory]
    [InlineData(RecordCodecs.Lz4OrZstd, 0)]   // zstd
    [InlineData(RecordCodecs.Lz4, 0)]         // LZ4
    [InlineData(RecordCodecs.Lz4OrZstd, 1)]   // raw
    public void PackingIntoALargerBufferHoldingOldBytesGivesTheSameRecord(RecordCodecs codecs, int incompressible)
    {
        var content = incompressible == 1 ? new Random(3).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 5000) : Compressible();
        var score = Score.Of(content);
        var buffer = new byte[BlockRecord.Capacity(content.Length) + 4096];
        Array.Fill(buffer, (byte)0xA5);
        int length = BlockRecord.Pack(content, score, BlockType.Data, buffer, codecs);
        Assert.Equal(BlockRecord.Pack(content, score, BlockType.Data, codecs), buffer[..length]);
        Assert.Throws<ArgumentException>(() => BlockRecord.Pack(content, score, BlockType.Data, new byte[BlockRecord.Capacity(content.Length) - 1], codecs));
    }
}
