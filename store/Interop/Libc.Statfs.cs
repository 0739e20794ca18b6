// Filesystem statistics: fstatfs (type and fsid, for the tracker) and statvfs (free space, for the mount and the store).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // int fstatfs(int fd, struct statfs *buf);
    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    internal static partial int fstatfs(FileDescriptor fd, out StatFs buf);

    // int statvfs(const char *path, struct statvfs *buf);   /* 0, or -1 and errno */
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statvfs(string path, out StatVfs buf);
}
