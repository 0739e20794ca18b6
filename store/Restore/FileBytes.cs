// Reading an exact range of a file, for comparing what is on disk with what a snapshot recorded.
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Store.Restore;

internal static class FileBytes
{
    /// <summary>`length` bytes at `offset`, or null when the file ends sooner.</summary>
    public static byte[]? ReadExactly(SafeFileHandle handle, long offset, int length)
    {
        var buffer = new byte[length];
        int done = 0;
        while (done < length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (n == 0) return null;
            done += n;
        }
        return buffer;
    }
}
