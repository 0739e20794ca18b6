// libbpf_set_print: libbpf reports why a load failed (verifier log, missing BTF) through a printf-style callback.
// The callback formats with vsnprintf (on x86-64 and arm64 a va_list argument is passed as one pointer).
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class Libbpf
{
    internal const int LIBBPF_WARN = 0, LIBBPF_INFO = 1, LIBBPF_DEBUG = 2;

    // libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);
    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    internal static partial nint SetPrint(delegate* unmanaged<int, nint, nint, int> print);

    // int vsnprintf(char *str, size_t size, const char *format, va_list ap);
    [LibraryImport("libc", EntryPoint = "vsnprintf")]
    internal static partial int VsnPrintf(byte* buffer, nuint size, nint format, nint args);
}
