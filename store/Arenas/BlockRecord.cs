// Pack and unpack of one block record: the only code that knows the record bytes (Venti's clump).
using System.Buffers.Binary;
using System.IO.Hashing;
using K4os.Compression.LZ4;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Arenas;

public readonly record struct RecordHeader(byte Codec, BlockType Type, uint RawLength, uint StoredLength, Score Score, uint Checksum);

public static class BlockRecord
{
    /// <summary>
    /// Builds the full record (header and payload) for content. With <see cref="RecordCodecs.Lz4OrZstd"/> zstd when it
    /// takes at least a sixteenth off the block; otherwise (and always in a format 1 store) LZ4 when it shrinks the
    /// block; raw when neither does: a block never grows. zstd goes first because it wins on nearly every block that
    /// compresses at all, so trying LZ4 as well would cost a second compression for nothing.
    /// </summary>
    public static byte[] Pack(ReadOnlySpan<byte> content, Score score, BlockType type, RecordCodecs codecs = RecordCodecs.Lz4)
    {
        var record = new byte[Capacity(content.Length)];
        int length = Pack(content, score, type, record, codecs);
        return length == record.Length ? record : record[..length];
    }

    /// <summary>The most bytes the record of a block of <paramref name="contentLength"/> bytes can take.</summary>
    public static int Capacity(int contentLength) => ArenaFormat.RecordHeaderSize + contentLength;

    /// <summary>
    /// Packs the record into <paramref name="record"/> (at least <see cref="Capacity"/> bytes) and returns its length:
    /// the store's hot path packs into a pooled buffer, since a fresh array per block was gigabytes of garbage per snapshot.
    /// </summary>
    public static int Pack(ReadOnlySpan<byte> content, Score score, BlockType type, Span<byte> record, RecordCodecs codecs)
    {
        if (content.Length > ArenaFormat.MaxBlockSize) throw new ArgumentException($"block of {content.Length} bytes exceeds the maximum");
        if (record.Length < Capacity(content.Length)) throw new ArgumentException("the record buffer is too small");
        var payload = record[ArenaFormat.RecordHeaderSize..Capacity(content.Length)];
        byte codec = ArenaFormat.CodecRaw;
        int stored = content.Length;
        if (content.Length > 64)
        {
            if (codecs == RecordCodecs.Lz4OrZstd)
            {
                int zstd = ZstdCodec.Compress(content, payload[..(content.Length - content.Length / 16)]);
                if (zstd > 0) { codec = ArenaFormat.CodecZstd; stored = zstd; }
            }
            if (codec == ArenaFormat.CodecRaw)
            {
                int lz4 = LZ4Codec.Encode(content, payload[..(content.Length - 1)]);
                if (lz4 > 0) { codec = ArenaFormat.CodecLz4; stored = lz4; }
            }
        }
        if (codec == ArenaFormat.CodecRaw) content.CopyTo(payload);
        var h = record;
        BinaryPrimitives.WriteUInt32LittleEndian(h, ArenaFormat.RecordMagic);
        h[ArenaFormat.R_VERSION] = 1;
        h[ArenaFormat.R_CODEC] = codec;
        h[ArenaFormat.R_TYPE] = (byte)type;
        h[ArenaFormat.R_RESERVED] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(h[ArenaFormat.R_RAW_LENGTH..], (uint)content.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[ArenaFormat.R_STORED_LENGTH..], (uint)stored);
        score.Write(h[ArenaFormat.R_SCORE..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[ArenaFormat.R_CHECKSUM..], Checksum(h[..ArenaFormat.R_CHECKSUM], payload[..stored]));
        return ArenaFormat.RecordHeaderSize + stored;
    }

    /// <summary>Reads a header; null when the bytes are not a record header (bad magic, version, or sizes).</summary>
    public static RecordHeader? UnpackHeader(ReadOnlySpan<byte> h)
    {
        if (h.Length < ArenaFormat.RecordHeaderSize) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != ArenaFormat.RecordMagic) return null;
        if (h[ArenaFormat.R_VERSION] != 1 || h[ArenaFormat.R_RESERVED] != 0) return null;
        byte codec = h[ArenaFormat.R_CODEC];
        if (codec > ArenaFormat.CodecZstd || h[ArenaFormat.R_TYPE] > (byte)BlockType.CatalogRecord) return null;
        uint raw = BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.R_RAW_LENGTH..]);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.R_STORED_LENGTH..]);
        if (raw > ArenaFormat.MaxBlockSize || stored > raw) return null;
        if (codec == ArenaFormat.CodecRaw && stored != raw) return null;
        return new RecordHeader(codec, (BlockType)h[ArenaFormat.R_TYPE], raw, stored,
            Score.Read(h[ArenaFormat.R_SCORE..]), BinaryPrimitives.ReadUInt32LittleEndian(h[ArenaFormat.R_CHECKSUM..]));
    }

    public static uint Checksum(ReadOnlySpan<byte> header48, ReadOnlySpan<byte> payload)
    {
        var crc = new Crc32();
        crc.Append(header48);
        crc.Append(payload);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Checks the checksum of a whole record and decodes its content into dest (exactly RawLength bytes).</summary>
    public static bool TryUnpack(ReadOnlySpan<byte> record, in RecordHeader header, Span<byte> dest)
    {
        var payload = record.Slice(ArenaFormat.RecordHeaderSize, (int)header.StoredLength);
        if (Checksum(record[..ArenaFormat.R_CHECKSUM], payload) != header.Checksum) return false;
        var content = dest[..(int)header.RawLength];
        switch (header.Codec)
        {
            case ArenaFormat.CodecRaw: payload.CopyTo(content); return true;
            case ArenaFormat.CodecLz4: return LZ4Codec.Decode(payload, content) == header.RawLength;
            default: return ZstdCodec.TryDecompress(payload, content);
        }
    }
}
