// copy_file_range(2) for the write-path tests: .NET has no API for it.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Tests.Kernel.Ranges;

internal static partial class CopyFileRange
{
    // ssize_t copy_file_range(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned int flags);
    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint Call(SafeFileHandle input, ref long inputOffset, SafeFileHandle output, ref long outputOffset, nuint length, uint flags);

    /// <summary>Copies <paramref name="length"/> bytes, looping over short copies; throws with the errno on failure.</summary>
    public static void Copy(SafeFileHandle input, long inputOffset, SafeFileHandle output, long outputOffset, long length)
    {
        while (length > 0)
        {
            nint n = Call(input, ref inputOffset, output, ref outputOffset, (nuint)length, 0);
            if (n < 0) throw new IOException("copy_file_range failed: errno " + Marshal.GetLastPInvokeError());
            if (n == 0) throw new IOException("copy_file_range copied nothing: the source is shorter than asked");
            length -= n;
        }
    }
}
