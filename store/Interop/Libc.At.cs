// libc calls relative to an open directory: a walk opens each directory from its parent's descriptor, so a path may
// be longer than PATH_MAX (4096 bytes), which every call taking a whole path refuses with ENAMETOOLONG.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // int openat(int dirfd, const char *pathname, int flags, mode_t mode);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int openat(int dirfd, byte* path, int flags, uint mode);

    // int fstatat(int dirfd, const char *pathname, struct stat *statbuf, int flags);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int fstatat(int dirfd, byte* path, out Stat buf, int flags);

    // ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint readlinkat(int dirfd, byte* path, byte* buf, nint size);

    // DIR *fdopendir(int fd);   /* the DIR owns fd: closedir closes it */
    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint fdopendir(int fd);

    // int dup(int oldfd);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dup(int fd);
}
