// The few libc calls the mount needs beyond libfuse, one [LibraryImport] each, with their C declarations.
using System.Runtime.InteropServices;

namespace TimeTravel.Fs.Interop;

public static partial class LibC
{
    // int statvfs(const char *path, struct statvfs *buf);   /* 0, or -1 and errno */
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statvfs(string path, out StatVfs buf);
}
