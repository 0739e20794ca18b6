// struct statfs as laid out on 64-bit Linux (x86-64, arm64); we only need f_type and f_fsid.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

// struct statfs {
//     __fsword_t f_type; __fsword_t f_bsize; fsblkcnt_t f_blocks; fsblkcnt_t f_bfree; fsblkcnt_t f_bavail;
//     fsfilcnt_t f_files; fsfilcnt_t f_ffree; fsid_t f_fsid; __fsword_t f_namelen; __fsword_t f_frsize;
//     __fsword_t f_flags; __fsword_t f_spare[4];
// };   /* 120 bytes */
[StructLayout(LayoutKind.Sequential)]
internal struct StatFs
{
    public long Type;
    public long BlockSize;
    public ulong Blocks;
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public int Fsid0;          // fsid_t { int __val[2]; }
    public int Fsid1;
    public long NameLength;
    public long FragmentSize;
    public long Flags;
    public long Spare0, Spare1, Spare2, Spare3;
}
