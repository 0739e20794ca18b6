// The few libc calls the mount needs beyond libfuse, one [LibraryImport] each, with their C declarations.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

public static partial class LibC
{
    // int statvfs(const char *path, struct statvfs *buf);   /* 0, or -1 and errno */
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statvfs(string path, out StatVfs buf);

    // char *realpath(const char *path, char *resolved_path);   /* resolved_path NULL: a malloc'd result, or NULL */
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, nint resolved_path);

    // void free(void *ptr);
    [LibraryImport("libc")]
    private static partial void free(nint ptr);

    /// <summary>realpath(3): the path with every symlink, "." and ".." resolved; null when it does not resolve.</summary>
    public static string? RealPath(string path)
    {
        nint p = realpath(path, 0);
        if (p == 0) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { free(p); }
    }
}
