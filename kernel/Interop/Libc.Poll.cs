// poll(2): waits for events with a timeout so the tracker loop can notice cancellation.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(ref PollFd fds, nuint nfds, int timeoutMs);
}
