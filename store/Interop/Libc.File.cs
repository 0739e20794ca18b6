// libc file calls that take byte paths (names need not be UTF-8) or that .NET does not expose.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200;
    internal const int O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000, O_DIRECTORY = 0x10000, O_NOATIME = 0x40000, O_NOCTTY = 0x100;
    internal const int SEEK_SET = 0, SEEK_DATA = 3, SEEK_HOLE = 4;
    internal const int O_PATH = 0x200000;
    internal const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    internal const int LOCK_EX = 2, LOCK_NB = 4, LOCK_SH = 1, LOCK_UN = 8;

    // int open(const char *pathname, int flags, mode_t mode);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int open(byte* path, int flags, uint mode);

    // The same calls on an owned descriptor and span paths, for code that keeps a descriptor open (the tracker).
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    internal static partial FileDescriptor open(ReadOnlySpan<byte> nulTerminatedPath, int flags, uint mode);

    // ssize_t read(int fd, void *buf, size_t count);
    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint read(FileDescriptor fd, Span<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int fsync(FileDescriptor fd);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint readlink(ReadOnlySpan<byte> nulTerminatedPath, Span<byte> buffer, nuint size);

    // int close(int fd);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    // off_t lseek(int fd, off_t offset, int whence);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial long lseek(int fd, long offset, int whence);

    // ssize_t readlink(const char *pathname, char *buf, size_t bufsiz);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint readlink(byte* path, byte* buf, nint size);

    // char *realpath(const char *path, char *resolved_path); with resolved_path PATH_MAX (4096) bytes
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial byte* realpath(byte* path, byte* resolved);

    // int flock(int fd, int operation);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int flock(int fd, int operation);

    internal const int POSIX_FADV_WILLNEED = 3;

    // int posix_fadvise(int fd, off_t offset, off_t len, int advice);   /* returns an errno, not -1 */
    [LibraryImport("libc")]
    internal static partial int posix_fadvise(int fd, long offset, long len, int advice);

    // int fsync(int fd);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fsync(int fd);

    // int syncfs(int fd);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int syncfs(int fd);

    // int symlink(const char *target, const char *linkpath);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int symlink(byte* target, byte* linkpath);

    // int mknod(const char *pathname, mode_t mode, dev_t dev);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int mknod(byte* path, uint mode, ulong dev);

    // int mkdir(const char *pathname, mode_t mode);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int mkdir(byte* path, uint mode);

    // int link(const char *oldpath, const char *newpath);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int link(byte* oldpath, byte* newpath);

    // int rename(const char *oldpath, const char *newpath);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int rename(byte* oldpath, byte* newpath);

    // int unlink(const char *pathname);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int unlink(byte* path);

    // int rmdir(const char *pathname);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int rmdir(byte* path);

    // int lchown(const char *pathname, uid_t owner, gid_t group);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int lchown(byte* path, uint owner, uint group);

    // int chmod(const char *pathname, mode_t mode);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int chmod(byte* path, uint mode);

    // int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial int utimensat(int dirfd, byte* path, long* times, int flags);

    // int ftruncate(int fd, off_t length);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int ftruncate(int fd, long length);
}
