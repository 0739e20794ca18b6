// struct fuse_entry_param (176 bytes): the reply to lookup and each readdirplus entry.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Interop;

// struct fuse_entry_param {
//   fuse_ino_t ino;          /* 0; 0 means a negative entry cached for entry_timeout */
//   uint64_t generation;     /* 8 */
//   struct stat attr;        /* 16 */
//   double attr_timeout;     /* 160 */
//   double entry_timeout;    /* 168 */
// };
[StructLayout(LayoutKind.Sequential)]
public struct FuseEntryParam
{
    public ulong ino;
    public ulong generation;
    public Stat attr;
    public double attr_timeout;
    public double entry_timeout;
}
