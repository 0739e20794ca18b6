// Byte layout of arena files and of the block records inside them; docs/format.md describes the same bytes.
namespace TimeTravel.Store.Arenas;

public static class ArenaFormat
{
    public const uint Version = 1;

    // Arena file header, 64 bytes.
    public static ReadOnlySpan<byte> FileMagic => "TTARENA\0"u8; // 0-7
    public const int H_VERSION = 8;        // 8-11   u32 format version
    public const int H_NUMBER = 12;        // 12-15  u32 arena number (also in the file name)
    public const int H_CREATED = 16;       // 16-23  i64 creation time, unix seconds
    public const int H_MAX_SIZE = 24;      // 24-31  u64 size at which the arena is sealed
    public const int H_CHECKSUM = 60;      // 60-63  u32 CRC-32 of bytes 0-59 (32-59 are zero)
    public const int HeaderSize = 64;

    // Block record header, 52 bytes, then the stored payload.
    public const uint RecordMagic = 0x4B425454; // 0-3 "TTBK" read as little-endian u32
    public const int R_VERSION = 4;        // 4      u8 record version (1)
    public const int R_CODEC = 5;          // 5      u8 codec: 0 raw, 1 LZ4 block, 2 zstd frame (format 2)
    public const int R_TYPE = 6;           // 6      u8 block type: 0 data, 1 pointer, 2 directory, 3 catalog record (format 4)
    public const int R_RESERVED = 7;       // 7      u8 zero
    public const int R_RAW_LENGTH = 8;     // 8-11   u32 uncompressed length
    public const int R_STORED_LENGTH = 12; // 12-15  u32 payload length as stored
    public const int R_SCORE = 16;         // 16-47  SHA-256 of the uncompressed content
    public const int R_CHECKSUM = 48;      // 48-51  u32 CRC-32 of bytes 0-47 and the payload
    public const int RecordHeaderSize = 52;

    public const byte CodecRaw = 0, CodecLz4 = 1, CodecZstd = 2;

    /// <summary>Largest block the store accepts; a chunk or a pointer block is far below it.</summary>
    public const int MaxBlockSize = 4 * 1024 * 1024;

    public const long DefaultMaxArenaSize = 1L << 30; // 1 GiB: offsets fit in 32 bits with room to spare

    public static string FileName(uint number) => $"{number:D8}.arena";

    /// <summary>
    /// Arenas numbered from here up are compacted arenas, written only by `timetravel gc`: complete and fsynced before
    /// the index names them, never appended to afterwards. Below it are the appended arenas, of which only the writer
    /// appends to the newest. Compacted numbers are never reused (store/gc/state keeps the next one).
    /// </summary>
    public const uint FirstCompactedArena = 0x8000_0000;

    public static bool IsCompacted(uint number) => number >= FirstCompactedArena;
}
