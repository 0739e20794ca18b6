// libc directory reading: opendir/readdir64 give names as raw bytes, which .NET's Directory API cannot.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

internal static partial class Libc
{
    // DIR *opendir(const char *name);
    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint opendir(byte* name);

    // struct dirent64 *readdir64(DIR *dirp);
    // struct dirent64 { ino64_t d_ino; /*0*/ off64_t d_off; /*8*/ unsigned short d_reclen; /*16*/
    //                   unsigned char d_type; /*18*/ char d_name[256]; /*19*/ };
    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint readdir64(nint dir);

    // int closedir(DIR *dirp);
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int closedir(nint dir);

    internal const int DirentNameOffset = 19;
    internal const int DirentTypeOffset = 18;
}
