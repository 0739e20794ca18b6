// The one errno table of the project (x86-64 and arm64 Linux share these values), with a readable name for each.
// store, kernel and fs all use it; FUSE replies are negated errno values from here.
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Interop;

public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;       // lseek SEEK_DATA/SEEK_HOLE: no more data
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = EAGAIN;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int ENOSPC = 28;
    public const int EROFS = 30;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int ENODATA = 61;    // no such xattr (ENOATTR)
    public const int EOVERFLOW = 75;
    public const int EOPNOTSUPP = 95; // == ENOTSUP on Linux
    public const int ENOTSUP = EOPNOTSUPP;
    public const int EDQUOT = 122;
    public const int ENOTCONN = 107;  // a FUSE mount whose daemon is gone
    public const int ESTALE = 116;

    /// <summary>The errno of the last P/Invoke call declared with SetLastError.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>"ENOENT (No such file or directory)": the symbolic name where we know it, and libc's message.</summary>
    public static string Describe(int errno) => Name(errno) + " (" + Marshal.GetPInvokeErrorMessage(errno) + ")";

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", EINTR => "EINTR", EIO => "EIO", ENXIO => "ENXIO", EBADF => "EBADF",
        EAGAIN => "EAGAIN", ENOMEM => "ENOMEM", EACCES => "EACCES", EEXIST => "EEXIST", EXDEV => "EXDEV",
        ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EISDIR => "EISDIR", EINVAL => "EINVAL", EFBIG => "EFBIG",
        ENOSPC => "ENOSPC", EROFS => "EROFS", ERANGE => "ERANGE", ENAMETOOLONG => "ENAMETOOLONG", ENOSYS => "ENOSYS",
        ENOTEMPTY => "ENOTEMPTY", ELOOP => "ELOOP", ENODATA => "ENODATA", EOVERFLOW => "EOVERFLOW",
        EOPNOTSUPP => "EOPNOTSUPP", EDQUOT => "EDQUOT", ENOTCONN => "ENOTCONN", ESTALE => "ESTALE",
        _ => $"errno {errno}",
    };
}
