// libc stat family (struct stat is in Stat.cs).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // int lstat(const char *pathname, struct stat *statbuf);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int lstat(byte* path, out Stat buf);

    // int fstat(int fd, struct stat *statbuf);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fstat(int fd, out Stat buf);

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf);
    // struct statx has the same layout on every architecture; stx_nlink is the __u32 at bytes 16-19 of its 256.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    internal static partial int statx(FileDescriptor dirFd, ReadOnlySpan<byte> nulTerminatedPath, int flags, uint mask, Span<byte> statxBuffer);

    internal const uint STATX_NLINK = 0x0004;
}
