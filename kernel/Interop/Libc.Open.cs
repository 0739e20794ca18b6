// open(2): opens a source root as a directory descriptor to serve as the mount fd for open_by_handle_at.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // int open(const char *pathname, int flags, mode_t mode);
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    internal static partial FileDescriptor Open(ReadOnlySpan<byte> nulTerminatedPath, int flags, uint mode);
}
