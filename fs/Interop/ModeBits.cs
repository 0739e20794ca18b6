// st_mode file-type bits and open(2) access-mode flags (sys/stat.h, fcntl.h).
namespace TimeTravel.Fs.Interop;

public static class ModeBits
{
    public const uint S_IFMT = 0xF000;   // 0170000
    public const uint S_IFSOCK = 0xC000; // 0140000
    public const uint S_IFLNK = 0xA000;  // 0120000
    public const uint S_IFREG = 0x8000;  // 0100000
    public const uint S_IFBLK = 0x6000;  // 0060000
    public const uint S_IFDIR = 0x4000;  // 0040000
    public const uint S_IFCHR = 0x2000;  // 0020000
    public const uint S_IFIFO = 0x1000;  // 0010000

    public const int O_ACCMODE = 3;
    public const int O_RDONLY = 0;
}
