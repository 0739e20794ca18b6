// The safe face of fanotify for Tracking/: create a group, mark a filesystem, wait for and read event batches.
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static class Fanotify
{
    /// <summary>Creates a group, or returns null and the errno when the kernel refuses these flags.</summary>
    public static FileDescriptor? Init(uint flags, out int errno)
    {
        var fd = FanotifyCalls.FanotifyInit(flags, (uint)(Libc.O_RDONLY | Libc.O_CLOEXEC));
        errno = fd.IsInvalid ? Errno.Last : 0;
        if (fd.IsInvalid) { fd.Dispose(); return null; }
        return fd;
    }

    /// <summary>Adds a FAN_MARK_FILESYSTEM mark on the filesystem holding <paramref name="path"/>; returns 0 or the errno.</summary>
    public static int MarkFilesystem(FileDescriptor group, ulong mask, byte[] path)
    {
        int rc = FanotifyCalls.FanotifyMark(group, FanotifyConstants.FAN_MARK_ADD | FanotifyConstants.FAN_MARK_FILESYSTEM,
            mask, Libc.AT_FDCWD, Paths.NulTerminated(path));
        return rc == 0 ? 0 : Errno.Last;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for the descriptor to become readable.</summary>
    public static bool WaitReadable(FileDescriptor fd, int timeoutMs)
    {
        bool added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            var p = new PollFd { Fd = fd.Number, Events = PollFd.POLLIN };
            int rc = Libc.poll(ref p, 1, timeoutMs);
            if (rc < 0 && Errno.Last != Errno.EINTR) throw new IOException("poll failed: " + Errno.Describe(Errno.Last));
            return rc > 0;
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }

    /// <summary>Reads one batch of whole events into <paramref name="buffer"/>; 0 when none are queued.</summary>
    public static int Read(FileDescriptor fd, Span<byte> buffer)
    {
        while (true)
        {
            nint n = Libc.read(fd, buffer, (nuint)buffer.Length);
            if (n >= 0) return (int)n;
            int errno = Errno.Last;
            if (errno == Errno.EAGAIN) return 0;
            if (errno != Errno.EINTR) throw new IOException("read from fanotify failed: " + Errno.Describe(errno));
        }
    }
}
