// statx(2): reads the link count of a resolved directory; 0 means it was removed and the path is a ghost.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    // struct statx has the same layout on every architecture; stx_nlink is the __u32 at bytes 16-19 of its 256.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(FileDescriptor dirFd, ReadOnlySpan<byte> nulTerminatedPath, int flags, uint mask, Span<byte> statxBuffer);
}
