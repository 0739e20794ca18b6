// The safe face of the handle syscalls: open a directory as a mount fd, read its fsid, and turn handles back into paths.
using System.Buffers.Binary;
using System.Text;

namespace TimeTravel.Kernel.Interop;

internal static class FileHandles
{
    /// <summary>
    /// Opens <paramref name="path"/> as a read-only directory descriptor, or returns null and the errno. Not O_PATH:
    /// open_by_handle_at rejects an O_PATH mount fd with EBADF on the kernels we run on.
    /// </summary>
    public static FileDescriptor? OpenDirectory(byte[] path, out int errno)
    {
        var fd = Libc.Open(Paths.NulTerminated(path), FanotifyConstants.O_RDONLY | FanotifyConstants.O_DIRECTORY | FanotifyConstants.O_CLOEXEC, 0);
        errno = fd.IsInvalid ? Errno.Last : 0;
        if (fd.IsInvalid) { fd.Dispose(); return null; }
        return fd;
    }

    /// <summary>The filesystem id (statfs f_fsid) fanotify reports for objects on the filesystem of <paramref name="fd"/>.</summary>
    public static ulong FsId(FileDescriptor fd)
    {
        if (Libc.Fstatfs(fd, out var st) != 0) throw new IOException("fstatfs failed: " + Errno.Describe(Errno.Last));
        return Combine(st.Fsid0, st.Fsid1);
    }

    public static ulong Combine(int fsid0, int fsid1) => (uint)fsid0 | ((ulong)(uint)fsid1 << 32);

    /// <summary>The struct file_handle bytes of <paramref name="path"/> and its mount id, or null and the errno.</summary>
    public static byte[]? HandleOf(byte[] path, out int errno, out int mountId)
    {
        var buffer = new byte[FileHandle.HeaderSize + FileHandle.MaxHandleSize];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, FileHandle.MaxHandleSize);
        int rc = Libc.NameToHandleAt(FanotifyConstants.AT_FDCWD, Paths.NulTerminated(path), buffer, out mountId, 0);
        errno = rc == 0 ? 0 : Errno.Last;
        if (rc != 0) return null;
        int used = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        return buffer.AsSpan(0, FileHandle.HeaderSize + used).ToArray();
    }

    /// <summary>
    /// The current absolute path of the object behind <paramref name="handle"/> (struct file_handle bytes).
    /// Returns null with errno ESTALE or ENOENT when the object no longer exists anywhere (deleted, or unlinked
    /// but still held open: link count 0), and null with another errno when resolution itself failed.
    /// </summary>
    public static byte[]? Resolve(FileDescriptor mountFd, ReadOnlySpan<byte> handle, out int errno)
    {
        using var fd = Libc.OpenByHandleAt(mountFd, handle, FanotifyConstants.O_PATH | FanotifyConstants.O_CLOEXEC);
        if (fd.IsInvalid) { errno = Errno.Last; return null; }

        Span<byte> statx = stackalloc byte[256];
        if (Libc.Statx(fd, [0], FanotifyConstants.AT_EMPTY_PATH, FanotifyConstants.STATX_NLINK, statx) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(statx[16..]) == 0)
        {
            errno = Errno.ENOENT;
            return null;
        }

        var link = Encoding.ASCII.GetBytes($"/proc/self/fd/{fd.Number}\0");
        var buffer = new byte[4096 + 1];
        nint n = Libc.ReadLink(link, buffer, (nuint)buffer.Length);
        if (n < 0) { errno = Errno.Last; return null; }
        if (n >= buffer.Length) { errno = Errno.EOVERFLOW; return null; }
        errno = 0;
        return buffer.AsSpan(0, (int)n).ToArray();
    }
}
