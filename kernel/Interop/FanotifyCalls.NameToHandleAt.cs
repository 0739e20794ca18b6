// name_to_handle_at(2): gets the handle of a source root, to check its filesystem can resolve handles at all.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class FanotifyCalls
{
    // int name_to_handle_at(int dirfd, const char *pathname, struct file_handle *handle, int *mount_id, int flags);
    // `handle` must start with handle_bytes set to the room left after the 8-byte header.
    [LibraryImport("libc", EntryPoint = "name_to_handle_at", SetLastError = true)]
    internal static partial int NameToHandleAt(int dirFd, ReadOnlySpan<byte> nulTerminatedPath, Span<byte> handle, out int mountId, int flags);
}
