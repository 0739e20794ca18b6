// struct fuse_ctx (16 bytes): who made a request, from fuse_req_ctx.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

// struct fuse_ctx { uid_t uid; gid_t gid; pid_t pid; mode_t umask; };  /* 0, 4, 8, 12 */
[StructLayout(LayoutKind.Sequential)]
public struct FuseCtx
{
    public uint uid;
    public uint gid;
    public int pid;
    public uint umask;
}
