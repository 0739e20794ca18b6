// An errno from a system call, with the path it was about, so every error names the file.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Posix;

public sealed class PosixException : IOException
{
    public int Errno { get; }
    public string PathText { get; }

    public PosixException(string call, byte[] path, int errno)
        : base($"{PathBytes.Display(path)}: {call}: {Describe(errno)}", errno)
    {
        Errno = errno;
        PathText = PathBytes.Display(path);
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
