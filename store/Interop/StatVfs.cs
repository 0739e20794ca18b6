// struct statvfs as glibc lays it out on x86_64 (112 bytes), the argument of fuse_reply_statfs.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

// struct statvfs {
//   unsigned long f_bsize, f_frsize;                 /* 0, 8 */
//   fsblkcnt_t f_blocks, f_bfree, f_bavail;          /* 16, 24, 32 */
//   fsfilcnt_t f_files, f_ffree, f_favail;           /* 40, 48, 56 */
//   unsigned long f_fsid, f_flag, f_namemax;         /* 64, 72, 80 */
//   int __f_spare[6];                                /* 88 */
// };
[StructLayout(LayoutKind.Sequential)]
public struct StatVfs
{
    public ulong f_bsize;
    public ulong f_frsize;
    public ulong f_blocks;
    public ulong f_bfree;
    public ulong f_bavail;
    public ulong f_files;
    public ulong f_ffree;
    public ulong f_favail;
    public ulong f_fsid;
    public ulong f_flag;
    public ulong f_namemax;
    public int __spare0, __spare1, __spare2, __spare3, __spare4, __spare5;
}
