// statfs(2) by path and mount(2): to find out whether the pin directory is on a bpf filesystem, and mount one at
// /sys/fs/bpf when it is missing.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class LinuxCalls
{
    internal const long BPF_FS_MAGIC = 0xcafe4a11;

    // int statfs(const char *path, struct statfs *buf);
    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static unsafe partial int Statfs(string path, StatFs* buf);

    // int mount(const char *source, const char *target, const char *filesystemtype, unsigned long mountflags, const void *data);
    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Mount(string source, string target, string type, ulong flags, string? data);
}
