// The write paths the range tracker must see, as a program makes them: pwrite, O_APPEND, O_DIRECT, stores through a
// shared mapping, truncate, the fallocate family and copy_file_range. Raw syscalls where .NET has no API for them.
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Tests.Cli.Ranges;

internal static unsafe partial class FileOps
{
    private const int O_WRONLY = 1, O_RDWR = 2, O_DIRECT = 0x4000, O_CLOEXEC = 0x80000;
    public const int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2, FALLOC_FL_ZERO_RANGE = 0x10;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);
    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PWrite(int fd, void* buf, nuint count, long offset);
    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);
    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(int fdIn, ref long offIn, int fdOut, ref long offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "name_to_handle_at", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NameToHandleAt(int dirfd, string path, byte* handle, out int mountId, int flags);
    [LibraryImport("libc", EntryPoint = "open_by_handle_at", SetLastError = true)]
    private static partial int OpenByHandleAt(int mountFd, byte* handle, int flags);

    /// <summary>Drops clean dentries and inodes (drop_caches 2): a closed file's name is then no longer cached.</summary>
    public static void DropDentries()
    {
        Libc_Sync();
        File.WriteAllText("/proc/sys/vm/drop_caches", "2");
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Libc_Sync();

    /// <summary>
    /// Opens <paramref name="path"/> for writing through its file handle after its dentry was dropped, as knfsd
    /// does: the open file has no name the kernel can give back (a disconnected dentry).
    /// </summary>
    public static SafeFileHandle OpenWriteByHandle(string path, string mountDirectory)
    {
        byte* handle = stackalloc byte[8 + 128];
        *(uint*)handle = 128;
        if (NameToHandleAt(-100, path, handle, out _, 0) != 0) throw new IOException($"name_to_handle_at {path}: errno {Marshal.GetLastPInvokeError()}");
        DropDentries();
        int mount = Open(mountDirectory, 0x10000 /* O_DIRECTORY */, 0);
        try
        {
            int fd = OpenByHandleAt(mount, handle, O_WRONLY | O_CLOEXEC);
            if (fd < 0) throw new IOException($"open_by_handle_at {path}: errno {Marshal.GetLastPInvokeError()}");
            return new SafeFileHandle(fd, ownsHandle: true);
        }
        finally { Close(mount); }
    }

    public static void Write(string path, long offset, byte[] data)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(h, data, offset);
    }

    public static void Append(string path, byte[] data)
    {
        using var f = new FileStream(path, FileMode.Append, FileAccess.Write);
        f.Write(data);
    }

    /// <summary>An O_DIRECT write: offset and length multiples of 4096, from an aligned buffer.</summary>
    public static void WriteDirect(string path, long offset, byte[] data)
    {
        if (offset % 4096 != 0 || data.Length % 4096 != 0) throw new ArgumentException("O_DIRECT needs 4 KiB alignment");
        int fd = Open(path, O_WRONLY | O_DIRECT | O_CLOEXEC, 0);
        if (fd < 0) throw new IOException($"open O_DIRECT {path}: errno {Marshal.GetLastPInvokeError()}");
        void* buf = NativeMemory.AlignedAlloc((nuint)data.Length, 4096);
        try
        {
            data.CopyTo(new Span<byte>(buf, data.Length));
            if (PWrite(fd, buf, (nuint)data.Length, offset) != data.Length) throw new IOException($"O_DIRECT pwrite: errno {Marshal.GetLastPInvokeError()}");
        }
        finally { NativeMemory.AlignedFree(buf); Close(fd); }
    }

    /// <summary>Stores through a shared mapping of the whole file, then msync (the view's Flush).</summary>
    public static void StoreMapped(string path, long offset, byte[] data, bool msync = true)
    {
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        using var view = map.CreateViewAccessor(offset, data.Length, MemoryMappedFileAccess.ReadWrite);
        view.WriteArray(0, data, 0, data.Length);
        if (msync) view.Flush();
    }

    public static void Truncate(string path, long size)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.SetLength(h, size);
    }

    public static void Allocate(string path, int mode, long offset, long length)
    {
        using var h = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        if (Fallocate((int)h.DangerousGetHandle(), mode, offset, length) != 0)
            throw new IOException($"fallocate mode {mode} {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    public static void CopyRange(string from, long fromOffset, string to, long toOffset, long length)
    {
        using var i = File.OpenHandle(from, FileMode.Open, FileAccess.Read);
        using var o = File.OpenHandle(to, FileMode.Open, FileAccess.Write);
        while (length > 0)
        {
            nint n = CopyFileRange((int)i.DangerousGetHandle(), ref fromOffset, (int)o.DangerousGetHandle(), ref toOffset, (nuint)length, 0);
            if (n <= 0) throw new IOException($"copy_file_range: errno {Marshal.GetLastPInvokeError()}");
            length -= n;
        }
    }
}
