// The errno values the tracker distinguishes, and a readable name for the rest.
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static class Errno
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int ENODEV = 19;
    public const int EXDEV = 18;
    public const int EINVAL = 22;
    public const int EOVERFLOW = 75;
    public const int EOPNOTSUPP = 95;
    public const int ESTALE = 116;

    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => errno switch
    {
        ENOENT => "ENOENT",
        ENODEV => "ENODEV",
        EXDEV => "EXDEV",
        EINVAL => "EINVAL",
        EOPNOTSUPP => "EOPNOTSUPP",
        ESTALE => "ESTALE",
        _ => $"errno {errno}",
    } + " (" + Marshal.GetPInvokeErrorMessage(errno) + ")";
}
