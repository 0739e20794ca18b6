// struct stat as glibc lays it out on x86_64 (144 bytes); aarch64 differs, so FuseMount refuses other architectures.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

// struct stat {
//   dev_t st_dev; ino_t st_ino; nlink_t st_nlink;            /* 0, 8, 16 (nlink is 8 bytes on x86_64) */
//   mode_t st_mode; uid_t st_uid; gid_t st_gid; int __pad0;  /* 24, 28, 32, 36 */
//   dev_t st_rdev; off_t st_size; blksize_t st_blksize; blkcnt_t st_blocks; /* 40, 48, 56, 64 */
//   struct timespec st_atim, st_mtim, st_ctim;               /* 72, 88, 104 */
//   long __glibc_reserved[3];                                /* 120 */
// };
[StructLayout(LayoutKind.Sequential)]
public struct Stat
{
    public ulong st_dev;
    public ulong st_ino;
    public ulong st_nlink;
    public uint st_mode;
    public uint st_uid;
    public uint st_gid;
    public int __pad0;
    public ulong st_rdev;
    public long st_size;
    public long st_blksize;
    public long st_blocks;
    public long st_atime;
    public long st_atime_nsec;
    public long st_mtime;
    public long st_mtime_nsec;
    public long st_ctime;
    public long st_ctime_nsec;
    public long __reserved0;
    public long __reserved1;
    public long __reserved2;
}
