// Codec 2: one zstd frame per block (libzstd, level 1). LZ4 finds repeats but does not entropy-code, so text with
// few long repeats (log lines, base64, hex dumps) barely shrinks under it; zstd's Huffman and FSE stages take a
// quarter to a half off such blocks, which is what log rotation and mail spools are made of. Contexts are per thread
// (a context is not thread-safe, and making one per block would cost more than compressing it).
using TimeTravel.Store.Interop;

namespace TimeTravel.Store.Arenas;

internal static class ZstdCodec
{
    /// <summary>Level 1: as fast as LZ4 on this machine's data and a quarter smaller (measured, docs/benchmarks.md).</summary>
    public const int Level = 1;

    [ThreadStatic] private static ZstdContextHandle? t_compress;
    [ThreadStatic] private static ZstdContextHandle? t_decompress;

    /// <summary>Compresses into dst; -1 when the frame does not fit in dst.</summary>
    public static int Compress(ReadOnlySpan<byte> src, Span<byte> dst) =>
        Zstd.Compress(t_compress ??= ZstdContextHandle.Compression(), src, dst, Level);

    /// <summary>Decodes a frame into exactly dest.Length bytes; false when the frame is damaged or of another size.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> src, Span<byte> dest) =>
        Zstd.Decompress(t_decompress ??= ZstdContextHandle.Decompression(), src, dest) == dest.Length;
}
