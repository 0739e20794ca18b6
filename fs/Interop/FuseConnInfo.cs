// struct fuse_conn_info (124 bytes): connection parameters negotiated in the init callback.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

// struct fuse_conn_info {
//   unsigned proto_major, proto_minor;    /* 0, 4 */
//   unsigned max_write, max_read;         /* 8, 12: max_read must match -o max_read */
//   unsigned max_readahead;               /* 16 */
//   unsigned capable, want;               /* 20, 24: FUSE_CAP_* bits */
//   unsigned max_background;              /* 28 */
//   unsigned congestion_threshold;        /* 32 */
//   unsigned time_gran;                   /* 36 */
//   unsigned reserved[22];                /* 40 */
// };
[StructLayout(LayoutKind.Sequential)]
public unsafe struct FuseConnInfo
{
    public uint proto_major;
    public uint proto_minor;
    public uint max_write;
    public uint max_read;
    public uint max_readahead;
    public uint capable;
    public uint want;
    public uint max_background;
    public uint congestion_threshold;
    public uint time_gran;
    public fixed uint reserved[22];
}
