// Calls relative to an open directory (openat and friends), for walks below PATH_MAX and beyond it. The path given
// beside each name is only for messages. Extended attributes go through /proc/self/fd/DIR/NAME: the l*xattr calls
// take no directory descriptor, and the magic link to DIR is followed as a directory while NAME itself is not.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Interop;

namespace TimeTravel.Store.Posix;

public static unsafe partial class PosixFs
{
    private static int Fd(SafeFileHandle? dir) => dir is null ? Libc.AT_FDCWD : (int)dir.DangerousGetHandle();

    /// <summary>Opens a directory for reading, relative to <paramref name="dir"/> (null: the path as given), never through a symlink.</summary>
    public static SafeFileHandle OpenDirectoryAt(SafeFileHandle? dir, byte[] name, byte[] pathForErrors)
    {
        const int flags = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
        fixed (byte* p = CString(name))
        {
            int fd = Libc.openat(Fd(dir), p, flags | Libc.O_NOATIME, 0);
            if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EPERM) fd = Libc.openat(Fd(dir), p, flags, 0);
            if (fd < 0) throw new PosixException("open directory", pathForErrors, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>lstat of <paramref name="name"/> in <paramref name="dir"/>.</summary>
    public static FileStatus LStatAt(SafeFileHandle dir, byte[] name, byte[] pathForErrors)
    {
        fixed (byte* p = CString(name))
        {
            if (Libc.fstatat(Fd(dir), p, out var st, Libc.AT_SYMLINK_NOFOLLOW) != 0)
                throw new PosixException("lstat", pathForErrors, Marshal.GetLastPInvokeError());
            return FromStat(st);
        }
    }

    /// <summary>The names in an open directory (without . and ..), from its beginning.</summary>
    public static List<DirectoryEntryName> ReadDirectory(SafeFileHandle dir, byte[] pathForErrors)
    {
        // fdopendir takes over the descriptor it is given: give it a duplicate, so the walk keeps its own.
        int copy = Libc.dup(Fd(dir));
        if (copy < 0) throw new PosixException("dup", pathForErrors, Marshal.GetLastPInvokeError());
        if (Libc.lseek(copy, 0, Libc.SEEK_SET) < 0) { int e = Marshal.GetLastPInvokeError(); Libc.close(copy); throw new PosixException("lseek", pathForErrors, e); }
        nint stream = Libc.fdopendir(copy);
        if (stream == 0) { int e = Marshal.GetLastPInvokeError(); Libc.close(copy); throw new PosixException("opendir", pathForErrors, e); }
        return ReadEntries(stream, pathForErrors);
    }

    public static byte[] ReadLinkAt(SafeFileHandle dir, byte[] name, byte[] pathForErrors)
    {
        var buf = new byte[4096];
        fixed (byte* p = CString(name))
        fixed (byte* b = buf)
        {
            nint n = Libc.readlinkat(Fd(dir), p, b, buf.Length);
            if (n < 0) throw new PosixException("readlink", pathForErrors, Marshal.GetLastPInvokeError());
            return buf.AsSpan(0, (int)n).ToArray();
        }
    }

    /// <summary>Opens a regular file in <paramref name="dir"/> for reading, as <see cref="OpenRead"/> does.</summary>
    public static SafeFileHandle OpenReadAt(SafeFileHandle dir, byte[] name, byte[] pathForErrors)
    {
        const int flags = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY;
        fixed (byte* p = CString(name))
        {
            int fd = Libc.openat(Fd(dir), p, flags | Libc.O_NOATIME, 0);
            if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EPERM) fd = Libc.openat(Fd(dir), p, flags, 0);
            if (fd < 0) throw new PosixException("open", pathForErrors, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>The extended attributes of <paramref name="name"/> in <paramref name="dir"/> ("." for the directory itself).</summary>
    public static List<KeyValuePair<byte[], byte[]>> ReadXattrsAt(SafeFileHandle dir, byte[] name, byte[] pathForErrors) =>
        ReadXattrs([.. System.Text.Encoding.ASCII.GetBytes($"/proc/self/fd/{Fd(dir)}/"), .. name], pathForErrors);
}
