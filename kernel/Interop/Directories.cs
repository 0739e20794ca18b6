// Directory durability: .NET has no way to fsync a directory, which a new file's name needs to survive a crash.
using System.Text;

namespace TimeTravel.Kernel.Interop;

internal static class Directories
{
    public static void Sync(string directory)
    {
        const int flags = FanotifyConstants.O_RDONLY | FanotifyConstants.O_DIRECTORY | FanotifyConstants.O_CLOEXEC;
        using var fd = Libc.Open(Paths.NulTerminated(Encoding.UTF8.GetBytes(directory)), flags, 0);
        if (fd.IsInvalid) throw new IOException($"cannot open {directory}: " + Errno.Describe(Errno.Last));
        if (Libc.Fsync(fd) != 0) throw new IOException($"fsync {directory} failed: " + Errno.Describe(Errno.Last));
    }
}
