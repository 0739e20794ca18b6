// mmap(2)/munmap(2): the range tracker's state array is mapped so the epoch is flipped with an atomic add.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class LinuxCalls
{
    internal const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;
    internal static readonly nint MAP_FAILED = -1;

    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    // int munmap(void *addr, size_t length);
    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(nint address, nuint length);
}
