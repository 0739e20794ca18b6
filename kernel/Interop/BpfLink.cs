// An attached BPF program (struct bpf_link *). Pinned, the attachment outlives the process (a crashed tracker keeps
// recording); destroying an unpinned link detaches the program.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal sealed class BpfLink : SafeHandle
{
    public BpfLink(nint link) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(link);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Pins the link at <paramref name="path"/> on a bpf filesystem; 0 or the errno.</summary>
    public int Pin(string path) => Libbpf.LinkPin(handle, path) == 0 ? 0 : Math.Max(Errno.Last, 1);

    /// <summary>Removes the link's pin, so that Dispose detaches the program; 0 or the errno.</summary>
    public int Unpin() => Libbpf.LinkUnpin(handle) == 0 ? 0 : Math.Max(Errno.Last, 1);

    protected override bool ReleaseHandle() => Libbpf.LinkDestroy(handle) == 0;
}
