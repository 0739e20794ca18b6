// Linux errno values (asm-generic/errno*.h) that a filesystem answers with; 0 means success.
namespace TimeTravel.Fs.Interop;

public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EEXIST = 17;
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
    public const int ENODATA = 61;   // no such xattr (ENOATTR)
    public const int EOVERFLOW = 75;
    public const int EOPNOTSUPP = 95; // == ENOTSUP on Linux
    public const int ENOTCONN = 107;  // a FUSE mount whose daemon is gone
}
