// FUSE_CAP_* bits of fuse_conn_info.capable / want (fuse_common.h, libfuse 3.14).
namespace TimeTravel.Fs.Interop;

public static class FuseCap
{
    public const uint AsyncRead = 1u << 0;          // FUSE_CAP_ASYNC_READ
    public const uint PosixLocks = 1u << 1;         // FUSE_CAP_POSIX_LOCKS
    public const uint AtomicOTrunc = 1u << 3;       // FUSE_CAP_ATOMIC_O_TRUNC
    public const uint ExportSupport = 1u << 4;      // FUSE_CAP_EXPORT_SUPPORT
    public const uint DontMask = 1u << 6;           // FUSE_CAP_DONT_MASK
    public const uint SpliceWrite = 1u << 7;        // FUSE_CAP_SPLICE_WRITE
    public const uint SpliceMove = 1u << 8;         // FUSE_CAP_SPLICE_MOVE
    public const uint SpliceRead = 1u << 9;         // FUSE_CAP_SPLICE_READ
    public const uint FlockLocks = 1u << 10;        // FUSE_CAP_FLOCK_LOCKS
    public const uint IoctlDir = 1u << 11;          // FUSE_CAP_IOCTL_DIR
    public const uint AutoInvalData = 1u << 12;     // FUSE_CAP_AUTO_INVAL_DATA
    public const uint ReaddirPlus = 1u << 13;       // FUSE_CAP_READDIRPLUS
    public const uint ReaddirPlusAuto = 1u << 14;   // FUSE_CAP_READDIRPLUS_AUTO
    public const uint AsyncDio = 1u << 15;          // FUSE_CAP_ASYNC_DIO
    public const uint WritebackCache = 1u << 16;    // FUSE_CAP_WRITEBACK_CACHE
    public const uint NoOpenSupport = 1u << 17;     // FUSE_CAP_NO_OPEN_SUPPORT
    public const uint ParallelDirops = 1u << 18;    // FUSE_CAP_PARALLEL_DIROPS
    public const uint PosixAcl = 1u << 19;          // FUSE_CAP_POSIX_ACL
    public const uint HandleKillpriv = 1u << 20;    // FUSE_CAP_HANDLE_KILLPRIV
    public const uint CacheSymlinks = 1u << 23;     // FUSE_CAP_CACHE_SYMLINKS
    public const uint NoOpendirSupport = 1u << 24;  // FUSE_CAP_NO_OPENDIR_SUPPORT
    public const uint ExplicitInvalData = 1u << 25; // FUSE_CAP_EXPLICIT_INVAL_DATA
    public const uint ExpireOnly = 1u << 26;        // FUSE_CAP_EXPIRE_ONLY
}
