// SafeHandle over struct fuse_session *: fuse_session_destroy runs once, after any call using it (the loop) returned.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

public sealed class FuseSessionHandle : SafeHandle
{
    public FuseSessionHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    // void fuse_session_destroy(struct fuse_session *se);   /* also unmounts if still mounted */
    protected override bool ReleaseHandle()
    {
        LibFuse.fuse_session_destroy(handle);
        return true;
    }
}
