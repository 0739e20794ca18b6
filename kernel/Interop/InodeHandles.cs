// Opens a file on ext4 by its inode number and generation, the identity the range tracker records: ext4's file
// handle for a non-directory is FILEID_INO32_GEN (type 1), eight bytes { u32 inode, u32 generation }, the same bytes
// name_to_handle_at gives. A reused inode number has another generation, so a handle for a deleted file fails with
// ESTALE instead of opening its successor.
using System.Buffers.Binary;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static class InodeHandles
{
    private const int FILEID_INO32_GEN = 1;
    private const int O_NONBLOCK = 0x800;

    /// <summary>A read-only descriptor of the inode, or null with the errno (ESTALE: it no longer exists).</summary>
    public static FileDescriptor? OpenExt4(FileDescriptor mountFd, ulong inode, uint generation, out int errno)
    {
        if (inode > uint.MaxValue) { errno = Errno.EOVERFLOW; return null; }
        Span<byte> handle = stackalloc byte[FileHandle.HeaderSize + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(handle, 8);
        BinaryPrimitives.WriteInt32LittleEndian(handle[4..], FILEID_INO32_GEN);
        BinaryPrimitives.WriteUInt32LittleEndian(handle[8..], (uint)inode);
        BinaryPrimitives.WriteUInt32LittleEndian(handle[12..], generation);
        // O_NONBLOCK: a FIFO or a file with a mandatory lease must not hang the snapshot.
        var fd = FanotifyCalls.OpenByHandleAt(mountFd, handle, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | O_NONBLOCK);
        errno = fd.IsInvalid ? Errno.Last : 0;
        if (fd.IsInvalid) { fd.Dispose(); return null; }
        return fd;
    }

    /// <summary>
    /// True when no one has the file open for writing (nor mapped writable): a read lease is granted only then
    /// (fcntl F_SETLEASE F_RDLCK fails with EAGAIN otherwise); it is released at once. Null when that cannot be told.
    /// </summary>
    public static bool? NobodyWrites(FileDescriptor fd)
    {
        const int F_SETLEASE = 1024, F_RDLCK = 0, F_UNLCK = 2;
        if (LeaseCalls.Fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
        {
            LeaseCalls.Fcntl(fd, F_SETLEASE, F_UNLCK);
            return true;
        }
        return Errno.Last == Errno.EAGAIN ? false : null;
    }

    /// <summary>Writes the file's dirty pages back and waits: clean pages are write-protected again, so the next store faults.</summary>
    public static int Flush(FileDescriptor fd) =>
        FlushCalls.SyncFileRange(fd, 0, 0, FlushCalls.SYNC_FILE_RANGE_WAIT_BEFORE | FlushCalls.SYNC_FILE_RANGE_WRITE | FlushCalls.SYNC_FILE_RANGE_WAIT_AFTER) == 0
            ? 0 : Errno.Last;
}
