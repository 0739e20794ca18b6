// The generation number of an open file's inode (FS_IOC_GETVERSION), the third part of the range tracker's key:
// inode numbers are reused, a deleted and recreated file gets a new generation.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

public static class FileGeneration
{
    /// <summary>The inode generation of <paramref name="file"/>; throws IOException naming the errno when the
    /// filesystem has none (ENOTTY on filesystems without FS_IOC_GETVERSION).</summary>
    public static unsafe uint Of(SafeFileHandle file)
    {
        long generation = 0;   // room for the ioctl's declared long; the kernel writes the low int
        if (LinuxCalls.Ioctl(file, LinuxCalls.FS_IOC_GETVERSION, &generation) != 0)
            throw new IOException("FS_IOC_GETVERSION failed: " + Errno.Describe(Errno.Last));
        return (uint)generation;
    }
}
