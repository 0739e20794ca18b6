// Which file a range tracker entry is about: the device (as stat reports it), the inode number and the inode's
// generation, because inode numbers are reused after a delete and the generation tells the two files apart.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Ranges;

/// <param name="Device">st_dev in glibc's encoding, as FileStatus.Device.</param>
public readonly record struct InodeKey(ulong Device, ulong Inode, uint Generation)
{
    /// <summary>The key of an open file: fstat's device and inode, and FS_IOC_GETVERSION's generation.</summary>
    public static InodeKey Of(SafeFileHandle file, byte[] pathForErrors)
    {
        var status = PosixFs.FStat(file, pathForErrors);
        return new InodeKey(status.Device, status.Inode, FileGeneration.Of(file));
    }
}
