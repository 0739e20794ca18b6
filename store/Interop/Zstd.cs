// Span-based wrappers over libzstd's one-shot calls, so code outside Interop/ never touches pointers.
namespace TimeTravel.Store.Interop;

internal static class Zstd
{
    /// <summary>Compresses src into dst; -1 when the result would not fit in dst (or libzstd fails).</summary>
    public static unsafe int Compress(ZstdContextHandle context, ReadOnlySpan<byte> src, Span<byte> dst, int level)
    {
        nuint n;
        fixed (byte* s = src)
        fixed (byte* d = dst)
            n = Libzstd.ZSTD_compressCCtx(context.DangerousGetHandle(), d, (nuint)dst.Length, s, (nuint)src.Length, level);
        return Libzstd.ZSTD_isError(n) != 0 ? -1 : (int)n;
    }

    /// <summary>Decompresses one frame from src into dst; the decoded length, or -1 on damage or overflow.</summary>
    public static unsafe int Decompress(ZstdContextHandle context, ReadOnlySpan<byte> src, Span<byte> dst)
    {
        nuint n;
        fixed (byte* s = src)
        fixed (byte* d = dst)
            n = Libzstd.ZSTD_decompressDCtx(context.DangerousGetHandle(), d, (nuint)dst.Length, s, (nuint)src.Length);
        return Libzstd.ZSTD_isError(n) != 0 ? -1 : (int)n;
    }
}
