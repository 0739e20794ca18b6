// libc extended attribute calls on the link itself (l* variants never follow symlinks).
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // ssize_t llistxattr(const char *path, char *list, size_t size);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint llistxattr(byte* path, byte* list, nint size);

    // ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint lgetxattr(byte* path, byte* name, byte* value, nint size);

    // int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int lsetxattr(byte* path, byte* name, byte* value, nint size, int flags);

    // int lremovexattr(const char *path, const char *name);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int lremovexattr(byte* path, byte* name);
}
