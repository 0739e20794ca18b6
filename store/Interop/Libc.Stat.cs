// libc stat family, x86_64 glibc layout (see docs/format.md is not involved; layout from <sys/stat.h>).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

/// <summary>struct stat on x86_64 glibc: 144 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct StatBuf
{
    [FieldOffset(0)] public ulong st_dev;       // dev_t st_dev;
    [FieldOffset(8)] public ulong st_ino;       // ino_t st_ino;
    [FieldOffset(16)] public ulong st_nlink;    // nlink_t st_nlink; (8 bytes on x86_64)
    [FieldOffset(24)] public uint st_mode;      // mode_t st_mode;
    [FieldOffset(28)] public uint st_uid;       // uid_t st_uid;
    [FieldOffset(32)] public uint st_gid;       // gid_t st_gid;
    [FieldOffset(40)] public ulong st_rdev;     // dev_t st_rdev;
    [FieldOffset(48)] public long st_size;      // off_t st_size;
    [FieldOffset(56)] public long st_blksize;   // blksize_t st_blksize;
    [FieldOffset(64)] public long st_blocks;    // blkcnt_t st_blocks;
    [FieldOffset(72)] public long st_atime_sec; // struct timespec st_atim;
    [FieldOffset(80)] public long st_atime_nsec;
    [FieldOffset(88)] public long st_mtime_sec; // struct timespec st_mtim;
    [FieldOffset(96)] public long st_mtime_nsec;
    [FieldOffset(104)] public long st_ctime_sec; // struct timespec st_ctim;
    [FieldOffset(112)] public long st_ctime_nsec;
}

internal static partial class Libc
{
    // int lstat(const char *pathname, struct stat *statbuf);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int lstat(byte* path, out StatBuf buf);

    // int fstat(int fd, struct stat *statbuf);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fstat(int fd, out StatBuf buf);
}
