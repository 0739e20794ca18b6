// The native side of one mount: creates, mounts, loops, exits, unmounts and destroys a struct fuse_session.
using System.Runtime.InteropServices;
using TimeTravel.Fs.Interop;

namespace TimeTravel.Fs.Fuse;

internal sealed unsafe class FuseSession : IDisposable
{
    private readonly FuseSessionHandle _handle;
    private readonly GCHandle _owner; // the userdata: how the static callbacks find their FuseMount

    private FuseSession(FuseSessionHandle handle, GCHandle owner)
    {
        _handle = handle;
        _owner = owner;
    }

    // argv[0] is the program name; libfuse copies every argument and the ops table.
    public static FuseSession Create(IReadOnlyList<string> arguments, FuseMount owner)
    {
        FuseArgs args = default;
        GCHandle userdata = GCHandle.Alloc(owner);
        try
        {
            foreach (string a in arguments)
                if (LibFuse.fuse_opt_add_arg(&args, a) != 0) throw new OutOfMemoryException("fuse_opt_add_arg");
            FuseLowLevelOps ops = FuseCallbacks.Table();
            FuseSessionHandle h = LibFuse.fuse_session_new(&args, &ops, (nuint)sizeof(FuseLowLevelOps), GCHandle.ToIntPtr(userdata));
            if (h.IsInvalid)
            {
                h.Dispose();
                throw new ArgumentException("fuse_session_new rejected the arguments: " + string.Join(' ', arguments));
            }
            return new FuseSession(h, userdata);
        }
        catch
        {
            userdata.Free();
            throw;
        }
        finally
        {
            LibFuse.fuse_opt_free_args(&args);
        }
    }

    public void Mount(string mountPoint)
    {
        // libfuse prints the reason to stderr; the usual ones are a missing directory or no permission.
        if (LibFuse.fuse_session_mount(_handle, mountPoint) != 0)
            throw new IOException($"fuse_session_mount failed for {mountPoint} (see stderr)");
    }

    // Blocks until the session ends; the SafeHandle stays referenced, so Dispose cannot free it meanwhile.
    public int Loop(int maxThreads, bool cloneFd)
    {
        nint config = LibFuse.fuse_loop_cfg_create();
        if (config == 0) throw new OutOfMemoryException("fuse_loop_cfg_create");
        try
        {
            LibFuse.fuse_loop_cfg_set_max_threads(config, (uint)maxThreads);
            LibFuse.fuse_loop_cfg_set_clone_fd(config, cloneFd ? 1u : 0u);
            return LibFuse.fuse_session_loop_mt_312(_handle, config);
        }
        finally
        {
            LibFuse.fuse_loop_cfg_destroy(config);
        }
    }

    // Marks the session finished, then detaches the mount; the kernel aborts the connection, a worker's
    // read gets ENODEV and the loop returns. (With files still open the lazy unmount waits for them.)
    public void ExitAndUnmount()
    {
        LibFuse.fuse_session_exit(_handle);
        LibFuse.fuse_session_unmount(_handle);
    }

    public int InvalidateEntry(ulong parent, ReadOnlySpan<byte> name)
    {
        Span<byte> z = name.Length < 1024 ? stackalloc byte[name.Length + 1] : new byte[name.Length + 1];
        name.CopyTo(z);
        z[name.Length] = 0;
        fixed (byte* p = z)
            return -LibFuse.fuse_lowlevel_notify_inval_entry(_handle, parent, p, (nuint)name.Length);
    }

    public int InvalidateInode(ulong ino, long offset, long length) =>
        -LibFuse.fuse_lowlevel_notify_inval_inode(_handle, ino, offset, length);

    // Only after the loop returned: fuse_session_destroy may still call the destroy op, so the owner goes last.
    public void Dispose()
    {
        _handle.Dispose();
        if (_owner.IsAllocated) _owner.Free();
    }

    public static FuseMount OwnerOf(nint userdata) => (FuseMount)GCHandle.FromIntPtr(userdata).Target!;

    public static FuseMount OwnerOfRequest(nint request) => OwnerOf(LibFuse.fuse_req_userdata(request));
}
