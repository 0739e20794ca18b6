// Byte layout of index segment files; docs/format.md describes the same bytes.
namespace TimeTravel.Store.Index;

public static class IndexFormat
{
    public const uint Version = 1;
    public static ReadOnlySpan<byte> Magic => "TTINDEX\0"u8; // 0-7
    public const int H_VERSION = 8;      // 8-11   u32 format version
    public const int H_COUNT = 16;       // 16-23  u64 number of entries
    public const int H_BLOOM_BYTES = 24; // 24-31  u64 size of the Bloom filter after the entries
    public const int H_BLOOM_HASHES = 32;// 32-35  u32 number of Bloom probes
    public const int H_BODY_CRC = 36;    // 36-39  u32 CRC-32 of everything after the header
    public const int H_CHECKSUM = 60;    // 60-63  u32 CRC-32 of bytes 0-59
    public const int HeaderSize = 64;

    // Entry, 48 bytes, sorted by score.
    public const int E_SCORE = 0;        // 0-31   score
    public const int E_ARENA = 32;       // 32-35  u32 arena number
    public const int E_OFFSET = 36;      // 36-39  u32 record offset in the arena
    public const int E_STORED = 40;      // 40-43  u32 stored payload length
    public const int E_RAW = 44;         // 44-47  u32 uncompressed length
    public const int EntrySize = 48;

    public const int BloomBitsPerEntry = 10; // about 1% false positives with 7 probes
    public const int BloomHashes = 7;
}
