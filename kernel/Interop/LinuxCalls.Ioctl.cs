// ioctl(2) with a pointer argument: FS_IOC_GETVERSION reads an inode's generation (i_generation).
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class LinuxCalls
{
    internal const ulong FS_IOC_GETVERSION = 0x80087601;   // _IOR('v', 1, long); the kernel writes an int

    // int ioctl(int fd, unsigned long request, ...);
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeFileHandle fd, ulong request, void* argument);
}
