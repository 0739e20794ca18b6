// The safe face of the handle syscalls: open a directory as a mount fd, read its fsid, and turn handles back into paths.
using System.Buffers.Binary;
using System.Text;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static class FileHandles
{
    /// <summary>
    /// Opens <paramref name="path"/> as a read-only directory descriptor, or returns null and the errno. Not O_PATH:
    /// open_by_handle_at rejects an O_PATH mount fd with EBADF on the kernels we run on.
    /// </summary>
    public static FileDescriptor? OpenDirectory(byte[] path, out int errno)
    {
        var fd = Libc.open(Paths.NulTerminated(path), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        errno = fd.IsInvalid ? Errno.Last : 0;
        if (fd.IsInvalid) { fd.Dispose(); return null; }
        return fd;
    }

    /// <summary>The filesystem id (statfs f_fsid) fanotify reports for objects on the filesystem of <paramref name="fd"/>.</summary>
    public static ulong FsId(FileDescriptor fd)
    {
        if (Libc.fstatfs(fd, out var st) != 0) throw new IOException("fstatfs failed: " + Errno.Describe(Errno.Last));
        return Combine(st.Fsid0, st.Fsid1);
    }

    /// <summary>statfs f_type of ext4 (and ext2/ext3 mounted by the ext4 driver).</summary>
    public const long Ext4Magic = 0xEF53;

    /// <summary>True when the filesystem of <paramref name="fd"/> is ext4.</summary>
    public static bool IsExt4(FileDescriptor fd) => Libc.fstatfs(fd, out var st) == 0 && st.Type == Ext4Magic;

    public static ulong Combine(int fsid0, int fsid1) => (uint)fsid0 | ((ulong)(uint)fsid1 << 32);

    /// <summary>The struct file_handle bytes of <paramref name="path"/> and its mount id, or null and the errno.</summary>
    public static byte[]? HandleOf(byte[] path, out int errno, out int mountId)
    {
        var buffer = new byte[FileHandle.HeaderSize + FileHandle.MaxHandleSize];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, FileHandle.MaxHandleSize);
        int rc = FanotifyCalls.NameToHandleAt(Libc.AT_FDCWD, Paths.NulTerminated(path), buffer, out mountId, 0);
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
        using var fd = OpenByHandle(mountFd, handle, out errno);
        if (fd is null) return null;

        if (NLink(fd) == 0)
        {
            errno = Errno.ENOENT;
            return null;
        }

        return PathOf(fd, out errno);
    }

    /// <summary>The path the kernel knows an open descriptor by (readlink of /proc/self/fd/N), or null and the errno.</summary>
    public static byte[]? PathOf(FileDescriptor fd, out int errno)
    {
        var link = Encoding.ASCII.GetBytes($"/proc/self/fd/{fd.Number}\0");
        var buffer = new byte[4096 + 1];
        nint n = Libc.readlink(link, buffer, (nuint)buffer.Length);
        if (n < 0) { errno = Errno.Last; return null; }
        if (n >= buffer.Length) { errno = Errno.EOVERFLOW; return null; }
        errno = 0;
        return buffer.AsSpan(0, (int)n).ToArray();
    }

    /// <summary>
    /// The link count (st_nlink) of the object behind <paramref name="handle"/>: 0 when it no longer exists, -1 (with
    /// the errno) when that cannot be told.
    /// </summary>
    public static long LinkCount(FileDescriptor mountFd, ReadOnlySpan<byte> handle, out int errno)
    {
        using var fd = OpenByHandle(mountFd, handle, out errno);
        if (fd is null) return errno is Errno.ESTALE or Errno.ENOENT ? 0 : -1;
        if (NLink(fd) is { } links) return links;
        errno = Errno.Last;
        return -1;
    }

    // statx(fd, "", AT_EMPTY_PATH, STATX_NLINK): stx_nlink, the u32 at offset 16; null when statx fails (errno set).
    private static uint? NLink(FileDescriptor fd)
    {
        Span<byte> statx = stackalloc byte[256];
        if (Libc.statx(fd, [0], Libc.AT_EMPTY_PATH, Libc.STATX_NLINK, statx) != 0) return null;
        return BinaryPrimitives.ReadUInt32LittleEndian(statx[16..]);
    }

    /// <summary>
    /// open_by_handle_at, retried on ENOMEM. The kernel turns every failure to decode a handle into ESTALE except
    /// ENOMEM, and on ext4 (seen on 6.18) the handle of a just-deleted directory sporadically gives ENOMEM while other
    /// inodes are being created, apparently when its inode number is being reused (iget_locked meets the inode under
    /// creation and returns NULL, which ext4_iget reports as ENOMEM). A retry then says ESTALE; only an ENOMEM that
    /// persists is reported as a failure (and makes the source incomplete).
    /// </summary>
    private static FileDescriptor? OpenByHandle(FileDescriptor mountFd, ReadOnlySpan<byte> handle, out int errno)
    {
        for (int attempt = 0; ; attempt++)
        {
            var fd = FanotifyCalls.OpenByHandleAt(mountFd, handle, Libc.O_PATH | Libc.O_CLOEXEC);
            if (!fd.IsInvalid) { errno = 0; return fd; }
            errno = Errno.Last;
            fd.Dispose();
            if (errno != Errno.ENOMEM || attempt >= 20) return null;
            Thread.Sleep(attempt < 5 ? 0 : 5);
        }
    }
}
