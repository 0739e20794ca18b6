// struct fuse_args (24 bytes): the argv handed to fuse_session_new, grown by fuse_opt_add_arg.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

// struct fuse_args {
//   int argc;        /* 0 */
//   char **argv;     /* 8 */
//   int allocated;   /* 16: argv is malloc'ed by libfuse; free with fuse_opt_free_args */
// };
[StructLayout(LayoutKind.Sequential)]
public struct FuseArgs
{
    public int argc;
    public nint argv;
    public int allocated;
}
