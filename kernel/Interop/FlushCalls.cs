// syncfs(2) and sync_file_range(2): the range tracker's snapshot protocol writes dirty pages back so that the next
// store through a shared mapping faults again and is seen (see kernel/Planning/RangeTracking.cs).
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class FlushCalls
{
    internal const uint SYNC_FILE_RANGE_WAIT_BEFORE = 1, SYNC_FILE_RANGE_WRITE = 2, SYNC_FILE_RANGE_WAIT_AFTER = 4;

    // void sync(void);
    [LibraryImport("libc", EntryPoint = "sync")]
    internal static partial void Sync();

    // int syncfs(int fd);
    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int SyncFs(FileDescriptor fd);

    // int sync_file_range(int fd, off64_t offset, off64_t nbytes, unsigned int flags); nbytes 0: to the end of the file
    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    internal static partial int SyncFileRange(FileDescriptor fd, long offset, long nbytes, uint flags);
}
