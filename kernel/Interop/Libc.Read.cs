// read(2): drains a batch of events from the fanotify descriptor.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // ssize_t read(int fd, void *buf, size_t count);
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(FileDescriptor fd, Span<byte> buffer, nuint count);
}
