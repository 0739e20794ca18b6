// Safe wrappers over the libc calls the store needs: byte-string paths in, managed values or PosixException out.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Interop;

namespace TimeTravel.Store.Posix;

public readonly record struct DirectoryEntryName(byte[] Name, FileKind? Kind);

public static unsafe partial class PosixFs
{
    private static byte[] CString(ReadOnlySpan<byte> path)
    {
        var c = new byte[path.Length + 1];
        path.CopyTo(c);
        return c;
    }

    public static FileStatus LStat(byte[] path)
    {
        fixed (byte* p = CString(path))
        {
            if (Libc.lstat(p, out var st) != 0) throw new PosixException("lstat", path, Marshal.GetLastPInvokeError());
            return FromStat(st);
        }
    }

    public static bool TryLStat(byte[] path, out FileStatus status)
    {
        fixed (byte* p = CString(path))
        {
            if (Libc.lstat(p, out var st) != 0) { status = default; return false; }
            status = FromStat(st);
            return true;
        }
    }

    public static FileStatus FStat(SafeFileHandle handle, byte[] pathForErrors)
    {
        if (Libc.fstat((int)handle.DangerousGetHandle(), out var st) != 0)
            throw new PosixException("fstat", pathForErrors, Marshal.GetLastPInvokeError());
        return FromStat(st);
    }

    private static FileStatus FromStat(in Stat st) => new(
        st.st_dev, st.st_ino, st.st_nlink, st.st_mode, st.st_uid, st.st_gid, st.st_rdev, st.st_size, st.st_blocks,
        st.st_mtime * 1_000_000_000 + st.st_mtime_nsec,
        st.st_ctime * 1_000_000_000 + st.st_ctime_nsec,
        st.st_atime * 1_000_000_000 + st.st_atime_nsec);

    /// <summary>The names in a directory (without . and ..), in the order the filesystem gives them.</summary>
    public static List<DirectoryEntryName> ReadDirectory(byte[] path)
    {
        nint dir;
        fixed (byte* p = CString(path)) dir = Libc.opendir(p);
        if (dir == 0) throw new PosixException("opendir", path, Marshal.GetLastPInvokeError());
        return ReadEntries(dir, path);
    }

    // Reads a directory stream to its end and closes it.
    private static List<DirectoryEntryName> ReadEntries(nint dir, byte[] path)
    {
        var result = new List<DirectoryEntryName>();
        try
        {
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                nint ent = Libc.readdir64(dir);
                if (ent == 0)
                {
                    int err = Marshal.GetLastPInvokeError();
                    if (err != 0) throw new PosixException("readdir", path, err);
                    break;
                }
                byte* name = (byte*)ent + Libc.DirentNameOffset;
                var span = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
                if (span.SequenceEqual("."u8) || span.SequenceEqual(".."u8)) continue;
                byte dtype = *((byte*)ent + Libc.DirentTypeOffset);
                result.Add(new DirectoryEntryName(span.ToArray(), KindFromDType(dtype)));
            }
        }
        finally { Libc.closedir(dir); }
        return result;
    }

    private static FileKind? KindFromDType(byte t) => t switch
    {
        8 => FileKind.Regular, 4 => FileKind.Directory, 10 => FileKind.Symlink, 1 => FileKind.Fifo,
        2 => FileKind.CharDevice, 6 => FileKind.BlockDevice, 12 => FileKind.Socket, _ => null,
    };

    public static byte[] ReadLink(byte[] path)
    {
        var buf = new byte[4096];
        fixed (byte* p = CString(path))
        fixed (byte* b = buf)
        {
            nint n = Libc.readlink(p, b, buf.Length);
            if (n < 0) throw new PosixException("readlink", path, Marshal.GetLastPInvokeError());
            return buf.AsSpan(0, (int)n).ToArray();
        }
    }

    /// <summary>The canonical absolute path: every symlink on the way resolved, no "." or "..".</summary>
    public static byte[] RealPath(byte[] path) =>
        TryRealPath(path, out int errno) ?? throw new PosixException("realpath", path, errno);

    /// <summary>realpath(3), or null (with the errno) when a part of the path is missing or unreadable.</summary>
    public static byte[]? TryRealPath(byte[] path, out int errno)
    {
        var buf = new byte[4096];
        fixed (byte* p = CString(path))
        fixed (byte* b = buf)
        {
            errno = 0;
            if (Libc.realpath(p, b) == null) { errno = Marshal.GetLastPInvokeError(); return null; }
            return buf.AsSpan(0, buf.AsSpan().IndexOf((byte)0)).ToArray();
        }
    }

    /// <summary>Every extended attribute of the file itself (not a symlink's target), sorted by name.</summary>
    public static List<KeyValuePair<byte[], byte[]>> ReadXattrs(byte[] path) => ReadXattrs(path, path);

    // `target` is what the calls are given (a path, or a /proc/self/fd one); `path` names it in errors.
    private static List<KeyValuePair<byte[], byte[]>> ReadXattrs(byte[] target, byte[] path)
    {
        var result = new List<KeyValuePair<byte[], byte[]>>();
        byte[] cpath = CString(target);
        byte[] list;
        fixed (byte* p = cpath)
        {
            while (true)
            {
                nint size = Libc.llistxattr(p, null, 0);
                if (size < 0)
                {
                    int err = Marshal.GetLastPInvokeError();
                    if (err == Errno.ENOTSUP) return result;
                    throw new PosixException("llistxattr", path, err);
                }
                if (size == 0) return result;
                list = new byte[size];
                fixed (byte* l = list)
                {
                    nint got = Libc.llistxattr(p, l, size);
                    if (got >= 0) { list = list.AsSpan(0, (int)got).ToArray(); break; }
                    int err = Marshal.GetLastPInvokeError();
                    if (err != Errno.ERANGE) throw new PosixException("llistxattr", path, err);
                }
            }
            int start = 0;
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] != 0) continue;
                var name = list.AsSpan(start, i - start).ToArray();
                start = i + 1;
                var value = GetXattr(p, path, name);
                if (value != null) result.Add(new(name, value));
            }
        }
        result.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return result;
    }

    private static byte[]? GetXattr(byte* p, byte[] path, byte[] name)
    {
        fixed (byte* n = CString(name))
        {
            while (true)
            {
                nint size = Libc.lgetxattr(p, n, null, 0);
                if (size < 0)
                {
                    int err = Marshal.GetLastPInvokeError();
                    if (err == Errno.ENODATA) return null; // removed between list and get
                    throw new PosixException($"lgetxattr {PathBytes.Display(name)}", path, err);
                }
                var value = new byte[size];
                fixed (byte* v = value)
                {
                    nint got = Libc.lgetxattr(p, n, v, size);
                    if (got >= 0) return value.AsSpan(0, (int)got).ToArray();
                    int err = Marshal.GetLastPInvokeError();
                    if (err != Errno.ERANGE) throw new PosixException($"lgetxattr {PathBytes.Display(name)}", path, err);
                }
            }
        }
    }

    public static void SetXattr(byte[] path, byte[] name, byte[] value)
    {
        fixed (byte* p = CString(path))
        fixed (byte* n = CString(name))
        fixed (byte* v = value)
        {
            if (Libc.lsetxattr(p, n, v, value.Length, 0) != 0)
                throw new PosixException($"lsetxattr {PathBytes.Display(name)}", path, Marshal.GetLastPInvokeError());
        }
    }

    public static void RemoveXattr(byte[] path, byte[] name)
    {
        fixed (byte* p = CString(path))
        fixed (byte* n = CString(name))
        {
            if (Libc.lremovexattr(p, n) != 0)
                throw new PosixException($"lremovexattr {PathBytes.Display(name)}", path, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Opens a regular file for reading without following a symlink and without touching its atime where allowed.</summary>
    public static SafeFileHandle OpenRead(byte[] path)
    {
        fixed (byte* p = CString(path))
        {
            int fd = Libc.open(p, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOATIME | Libc.O_NOCTTY, 0);
            if (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EPERM)
                fd = Libc.open(p, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY, 0);
            if (fd < 0) throw new PosixException("open", path, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>Creates (or truncates) a file for writing with the given mode; fails on an existing symlink.</summary>
    public static SafeFileHandle CreateWrite(byte[] path, uint mode, bool exclusive)
    {
        fixed (byte* p = CString(path))
        {
            int flags = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | (exclusive ? Libc.O_EXCL : Libc.O_TRUNC);
            int fd = Libc.open(p, flags, mode);
            if (fd < 0) throw new PosixException("open for writing", path, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>Opens an existing regular file for writing in place (no truncation); fails on a symlink.</summary>
    public static SafeFileHandle OpenWrite(byte[] path)
    {
        fixed (byte* p = CString(path))
        {
            int fd = Libc.open(p, Libc.O_WRONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY, 0);
            if (fd < 0) throw new PosixException("open for writing", path, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>The data extents of a file, skipping holes (SEEK_DATA/SEEK_HOLE); one extent where the filesystem cannot tell.</summary>
    public static List<(long Offset, long Length)> DataExtents(SafeFileHandle handle, long size)
    {
        var extents = new List<(long, long)>();
        int fd = (int)handle.DangerousGetHandle();
        long pos = 0;
        while (pos < size)
        {
            long data = Libc.lseek(fd, pos, Libc.SEEK_DATA);
            if (data < 0)
            {
                int err = Marshal.GetLastPInvokeError();
                if (err == Errno.ENXIO) break;
                return [(0, size)]; // filesystem without hole support: all data
            }
            if (data >= size) break;
            long hole = Libc.lseek(fd, data, Libc.SEEK_HOLE);
            if (hole < 0 || hole > size) hole = size;
            extents.Add((data, hole - data));
            pos = hole;
        }
        return extents;
    }

    public static void Truncate(SafeFileHandle handle, long length, byte[] pathForErrors)
    {
        if (Libc.ftruncate((int)handle.DangerousGetHandle(), length) != 0)
            throw new PosixException("ftruncate", pathForErrors, Marshal.GetLastPInvokeError());
    }

    /// <summary>Asks the kernel to start reading a range into the page cache now (posix_fadvise WILLNEED); best effort.</summary>
    public static void WillNeed(SafeFileHandle handle, long offset, long length)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            Libc.posix_fadvise((int)handle.DangerousGetHandle(), offset, length, Libc.POSIX_FADV_WILLNEED);
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    public static void Fsync(SafeFileHandle handle, string pathForErrors)
    {
        if (Libc.fsync((int)handle.DangerousGetHandle()) != 0)
            throw new PosixException("fsync", PathBytes.From(pathForErrors), Marshal.GetLastPInvokeError());
    }

    /// <summary>syncfs of the filesystem that holds `dir`: everything written to it so far is durable.</summary>
    public static void SyncFilesystemOf(byte[] dir)
    {
        fixed (byte* p = CString(dir))
        {
            int fd = Libc.open(p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0) throw new PosixException("open directory", dir, Marshal.GetLastPInvokeError());
            try
            {
                if (Libc.syncfs(fd) != 0) throw new PosixException("syncfs", dir, Marshal.GetLastPInvokeError());
            }
            finally { Libc.close(fd); }
        }
    }

    /// <summary>fsync of a directory, so a rename or create inside it is durable.</summary>
    public static void FsyncDirectory(string dir)
    {
        byte[] path = PathBytes.From(dir);
        fixed (byte* p = CString(path))
        {
            int fd = Libc.open(p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0) throw new PosixException("open directory", path, Marshal.GetLastPInvokeError());
            try
            {
                if (Libc.fsync(fd) != 0) throw new PosixException("fsync", path, Marshal.GetLastPInvokeError());
            }
            finally { Libc.close(fd); }
        }
    }

    /// <summary>Opens (creating) a lock file with no lock taken.</summary>
    public static SafeFileHandle OpenLockFile(string path)
    {
        byte[] bytes = PathBytes.From(path);
        fixed (byte* p = CString(bytes))
        {
            int fd = Libc.open(p, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x180);
            if (fd < 0) throw new PosixException("open", bytes, Marshal.GetLastPInvokeError());
            return new SafeFileHandle(fd, ownsHandle: true);
        }
    }

    /// <summary>Takes a non-blocking exclusive flock; false when another process holds it.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, string pathForErrors)
    {
        if (Libc.flock((int)handle.DangerousGetHandle(), Libc.LOCK_EX | Libc.LOCK_NB) == 0) return true;
        int err = Marshal.GetLastPInvokeError();
        if (err == Errno.EWOULDBLOCK) return false;
        throw new PosixException("flock", PathBytes.From(pathForErrors), err);
    }

    public static void Symlink(byte[] target, byte[] linkPath)
    {
        fixed (byte* t = CString(target))
        fixed (byte* l = CString(linkPath))
            if (Libc.symlink(t, l) != 0) throw new PosixException("symlink", linkPath, Marshal.GetLastPInvokeError());
    }

    public static void MakeNode(byte[] path, uint mode, ulong rdev)
    {
        fixed (byte* p = CString(path))
            if (Libc.mknod(p, mode, rdev) != 0) throw new PosixException("mknod", path, Marshal.GetLastPInvokeError());
    }

    public static void MakeDirectory(byte[] path, uint mode)
    {
        fixed (byte* p = CString(path))
            if (Libc.mkdir(p, mode) != 0) throw new PosixException("mkdir", path, Marshal.GetLastPInvokeError());
    }

    public static void HardLink(byte[] existing, byte[] newPath)
    {
        fixed (byte* o = CString(existing))
        fixed (byte* n = CString(newPath))
            if (Libc.link(o, n) != 0) throw new PosixException("link", newPath, Marshal.GetLastPInvokeError());
    }

    public static void Rename(byte[] from, byte[] to)
    {
        fixed (byte* f = CString(from))
        fixed (byte* t = CString(to))
            if (Libc.rename(f, t) != 0) throw new PosixException("rename", to, Marshal.GetLastPInvokeError());
    }

    public static void Unlink(byte[] path)
    {
        fixed (byte* p = CString(path))
            if (Libc.unlink(p) != 0) throw new PosixException("unlink", path, Marshal.GetLastPInvokeError());
    }

    public static void RemoveDirectory(byte[] path)
    {
        fixed (byte* p = CString(path))
            if (Libc.rmdir(p) != 0) throw new PosixException("rmdir", path, Marshal.GetLastPInvokeError());
    }

    public static void LChown(byte[] path, uint uid, uint gid)
    {
        fixed (byte* p = CString(path))
            if (Libc.lchown(p, uid, gid) != 0) throw new PosixException("lchown", path, Marshal.GetLastPInvokeError());
    }

    public static void Chmod(byte[] path, uint mode)
    {
        fixed (byte* p = CString(path))
            if (Libc.chmod(p, mode) != 0) throw new PosixException("chmod", path, Marshal.GetLastPInvokeError());
    }

    /// <summary>Sets atime and mtime with nanoseconds on the path itself (symlinks included).</summary>
    public static void SetTimes(byte[] path, long atimeNs, long mtimeNs)
    {
        long* times = stackalloc long[4];
        // Floor division: a time before 1970 is negative seconds plus 0..999,999,999 ns (DivRem would give a negative ns: EINVAL).
        times[0] = Math.DivRem(atimeNs, 1_000_000_000, out times[1]);
        times[2] = Math.DivRem(mtimeNs, 1_000_000_000, out times[3]);
        for (int i = 0; i < 4; i += 2)
            if (times[i + 1] < 0) { times[i]--; times[i + 1] += 1_000_000_000; }
        fixed (byte* p = CString(path))
            if (Libc.utimensat(Libc.AT_FDCWD, p, times, Libc.AT_SYMLINK_NOFOLLOW) != 0)
                throw new PosixException("utimensat", path, Marshal.GetLastPInvokeError());
    }
}
