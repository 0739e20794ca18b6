// struct stat as glibc lays it out on x86_64 (144 bytes): the one declaration, used by lstat/fstat in the
// store and by the FUSE replies in fs. aarch64 differs, so FuseMount refuses other architectures.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

// struct stat {
//   dev_t st_dev; ino_t st_ino; nlink_t st_nlink;            /* 0, 8, 16 (nlink is 8 bytes on x86_64) */
//   mode_t st_mode; uid_t st_uid; gid_t st_gid; int __pad0;  /* 24, 28, 32, 36 */
//   dev_t st_rdev; off_t st_size; blksize_t st_blksize; blkcnt_t st_blocks; /* 40, 48, 56, 64 */
//   struct timespec st_atim, st_mtim, st_ctim;               /* 72, 88, 104 */
//   long __glibc_reserved[3];                                /* 120 */
// };
[StructLayout(LayoutKind.Explicit, Size = 144)]
public struct Stat
{
    [FieldOffset(0)] public ulong st_dev;
    [FieldOffset(8)] public ulong st_ino;
    [FieldOffset(16)] public ulong st_nlink;
    [FieldOffset(24)] public uint st_mode;
    [FieldOffset(28)] public uint st_uid;
    [FieldOffset(32)] public uint st_gid;
    [FieldOffset(40)] public ulong st_rdev;
    [FieldOffset(48)] public long st_size;
    [FieldOffset(56)] public long st_blksize;
    [FieldOffset(64)] public long st_blocks;
    [FieldOffset(72)] public long st_atime;
    [FieldOffset(80)] public long st_atime_nsec;
    [FieldOffset(88)] public long st_mtime;
    [FieldOffset(96)] public long st_mtime_nsec;
    [FieldOffset(104)] public long st_ctime;
    [FieldOffset(112)] public long st_ctime_nsec;
}
