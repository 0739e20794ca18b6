// fcntl(2) with an integer argument, for F_SETLEASE: whether anyone holds a file open for writing.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class LeaseCalls
{
    // int fcntl(int fd, int cmd, ... /* int arg */);
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(FileDescriptor fd, int cmd, int arg);
}
