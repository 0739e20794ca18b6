// libzstd (Debian's libzstd1, a dependency of apt, so present on every Debian machine): the one-shot calls with
// reusable contexts. Declarations only; store/Arenas/ZstdCodec.cs is the logic.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libzstd
{
    private const string Library = "libzstd.so.1";

    // ZSTD_CCtx* ZSTD_createCCtx(void);
    [LibraryImport(Library)]
    internal static partial nint ZSTD_createCCtx();

    // size_t ZSTD_freeCCtx(ZSTD_CCtx* cctx);
    [LibraryImport(Library)]
    internal static partial nuint ZSTD_freeCCtx(nint cctx);

    // size_t ZSTD_compressCCtx(ZSTD_CCtx* cctx, void* dst, size_t dstCapacity, const void* src, size_t srcSize, int compressionLevel);
    [LibraryImport(Library)]
    internal static unsafe partial nuint ZSTD_compressCCtx(nint cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);

    // ZSTD_DCtx* ZSTD_createDCtx(void);
    [LibraryImport(Library)]
    internal static partial nint ZSTD_createDCtx();

    // size_t ZSTD_freeDCtx(ZSTD_DCtx* dctx);
    [LibraryImport(Library)]
    internal static partial nuint ZSTD_freeDCtx(nint dctx);

    // size_t ZSTD_decompressDCtx(ZSTD_DCtx* dctx, void* dst, size_t dstCapacity, const void* src, size_t srcSize);
    [LibraryImport(Library)]
    internal static unsafe partial nuint ZSTD_decompressDCtx(nint dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    // unsigned ZSTD_isError(size_t code);
    [LibraryImport(Library)]
    internal static partial uint ZSTD_isError(nuint code);
}

/// <summary>A ZSTD_CCtx or ZSTD_DCtx, freed when its owner (a thread's codec) is collected.</summary>
internal sealed class ZstdContextHandle : SafeHandle
{
    private readonly bool _compress;

    private ZstdContextHandle(bool compress) : base(0, ownsHandle: true)
    {
        _compress = compress;
        SetHandle(compress ? Libzstd.ZSTD_createCCtx() : Libzstd.ZSTD_createDCtx());
        if (IsInvalid) throw new OutOfMemoryException("libzstd could not allocate a context");
    }

    public static ZstdContextHandle Compression() => new(compress: true);
    public static ZstdContextHandle Decompression() => new(compress: false);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        if (_compress) Libzstd.ZSTD_freeCCtx(handle); else Libzstd.ZSTD_freeDCtx(handle);
        return true;
    }
}
