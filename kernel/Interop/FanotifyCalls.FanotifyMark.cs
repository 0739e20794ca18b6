// fanotify_mark(2): subscribes the group to events on a whole filesystem.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class FanotifyCalls
{
    // int fanotify_mark(int fanotify_fd, unsigned int flags, uint64_t mask, int dirfd, const char *pathname);
    // The 64-bit mask travels in one register on the 64-bit targets we build for (x86-64, arm64).
    [LibraryImport("libc", EntryPoint = "fanotify_mark", SetLastError = true)]
    internal static partial int FanotifyMark(FileDescriptor fanotifyFd, uint flags, ulong mask, int dirFd, ReadOnlySpan<byte> nulTerminatedPath);
}
