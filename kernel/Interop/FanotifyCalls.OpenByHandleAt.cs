// open_by_handle_at(2): turns the directory file handle in an event back into an open descriptor.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class FanotifyCalls
{
    // int open_by_handle_at(int mount_fd, struct file_handle *handle, int flags);
    // `handle` is the raw struct file_handle bytes exactly as they appear in the event record.
    [LibraryImport("libc", EntryPoint = "open_by_handle_at", SetLastError = true)]
    internal static partial FileDescriptor OpenByHandleAt(FileDescriptor mountFd, ReadOnlySpan<byte> handle, int flags);
}
