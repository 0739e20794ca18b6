// fsync(2): makes a newly created journal segment's directory entry durable.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // int fsync(int fd);
    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(FileDescriptor fd);
}
