// What stat(2) reports for one inode, as plain managed data (the host turns it into struct stat).
namespace TimeTravel.Fs.Fuse;

public struct InodeAttributes
{
    public ulong Ino;
    public uint Mode;        // type bits (ModeBits.S_IF*) | permission bits
    public ulong NLink;
    public uint Uid;
    public uint Gid;
    public ulong Rdev;
    public long Size;
    public long Blocks;      // 512-byte units
    public int BlockSize;    // preferred I/O size (st_blksize); 0 lets the kernel choose
    public UnixTime ATime;
    public UnixTime MTime;
    public UnixTime CTime;
}
