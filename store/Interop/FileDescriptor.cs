// An owned Linux file descriptor; closing it is the only thing it knows how to do.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor() : base(new IntPtr(-1), ownsHandle: true) { }

    // The syscalls return a C int in a pointer-sized slot whose upper half is undefined: only the low 32 bits count.
    public override bool IsInvalid => Number < 0;

    public int Number => unchecked((int)handle.ToInt64());

    protected override bool ReleaseHandle() => Libc.close(Number) == 0;
}
