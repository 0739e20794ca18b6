// poll(2), for waiting on a single descriptor (the tracker's fanotify group).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int poll(ref PollFd fds, nuint nfds, int timeoutMs);
}
