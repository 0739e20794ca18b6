// struct pollfd, the single entry the tracker passes to poll(2).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

// struct pollfd { int fd; short events; short revents; };
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public const short POLLIN = 0x001;

    public int Fd;
    public short Events;
    public short Revents;
}
