// statfs(2) numbers for the whole filesystem (the host turns them into struct statvfs).
namespace TimeTravel.Fs.Fuse;

public struct FileSystemStats
{
    public ulong BlockSize;
    public ulong FragmentSize;
    public ulong Blocks;          // in FragmentSize units
    public ulong BlocksFree;
    public ulong BlocksAvailable;
    public ulong Files;
    public ulong FilesFree;
    public ulong FilesAvailable;
    public ulong FsId;
    public ulong Flags;
    public ulong NameMax;
}
