// readlink(2): reads /proc/self/fd/N to learn the current path of a resolved handle, as raw bytes.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class Libc
{
    // ssize_t readlink(const char *pathname, char *buf, size_t bufsiz);
    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint ReadLink(ReadOnlySpan<byte> nulTerminatedPath, Span<byte> buffer, nuint size);
}
