// Managed result types to the libfuse structs they are replied as.
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Fuse;

internal static class NativeConvert
{
    public static Stat ToStat(in InodeAttributes a) => new()
    {
        st_ino = a.Ino,
        st_mode = a.Mode,
        st_nlink = a.NLink,
        st_uid = a.Uid,
        st_gid = a.Gid,
        st_rdev = a.Rdev,
        st_size = a.Size,
        st_blocks = a.Blocks,
        st_blksize = a.BlockSize,
        st_atime = a.ATime.Seconds,
        st_atime_nsec = a.ATime.Nanoseconds,
        st_mtime = a.MTime.Seconds,
        st_mtime_nsec = a.MTime.Nanoseconds,
        st_ctime = a.CTime.Seconds,
        st_ctime_nsec = a.CTime.Nanoseconds,
    };

    public static FuseEntryParam ToEntryParam(in FuseEntry e) => new()
    {
        ino = e.Attributes.Ino,
        generation = e.Generation,
        attr = ToStat(e.Attributes),
        attr_timeout = e.AttributeTimeout,
        entry_timeout = e.EntryTimeout,
    };

    public static StatVfs ToStatVfs(in FileSystemStats s) => new()
    {
        f_bsize = s.BlockSize,
        f_frsize = s.FragmentSize,
        f_blocks = s.Blocks,
        f_bfree = s.BlocksFree,
        f_bavail = s.BlocksAvailable,
        f_files = s.Files,
        f_ffree = s.FilesFree,
        f_favail = s.FilesAvailable,
        f_fsid = s.FsId,
        f_flag = s.Flags,
        f_namemax = s.NameMax,
    };

    public static uint ToBits(in OpenResult r) =>
        (r.KeepCache ? FuseFileInfo.KeepCache : 0) |
        (r.DirectIo ? FuseFileInfo.DirectIo : 0) |
        (r.CacheDirectory ? FuseFileInfo.CacheReaddir : 0) |
        (r.NonSeekable ? FuseFileInfo.NonSeekable : 0);
}
