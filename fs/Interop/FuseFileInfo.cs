// struct fuse_file_info (40 bytes): per-open state; its bit-field word carries keep_cache and friends.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

// struct fuse_file_info {
//   int flags;                          /* 0: open(2) flags */
//   unsigned int writepage : 1, direct_io : 1, keep_cache : 1, flush : 1,
//                nonseekable : 1, flock_release : 1, cache_readdir : 1,
//                noflush : 1, padding : 24;   /* the 32-bit word at 4 */
//   unsigned int padding2 : 32;         /* 8, then a 4-byte hole */
//   uint64_t fh;                        /* 16 */
//   uint64_t lock_owner;                /* 24 */
//   uint32_t poll_events;               /* 32 */
// };
[StructLayout(LayoutKind.Sequential)]
public struct FuseFileInfo
{
    public int flags;
    public uint bits;
    public uint padding2;
    public uint __hole;
    public ulong fh;
    public ulong lock_owner;
    public uint poll_events;
    public uint __tail;

    // Masks for `bits`; gcc allocates bit-fields from the low bit on x86_64 (checked by the layout test).
    public const uint WritePage = 0x1;
    public const uint DirectIo = 0x2;
    public const uint KeepCache = 0x4;
    public const uint Flush = 0x8;
    public const uint NonSeekable = 0x10;
    public const uint FlockRelease = 0x20;
    public const uint CacheReaddir = 0x40;
    public const uint NoFlush = 0x80;
}
