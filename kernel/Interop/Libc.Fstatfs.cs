// fstatfs(2): reads f_fsid, the filesystem id fanotify puts in every event, to route events to sources.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // int fstatfs(int fd, struct statfs *buf);
    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    internal static partial int Fstatfs(FileDescriptor fd, out StatFs buf);
}
