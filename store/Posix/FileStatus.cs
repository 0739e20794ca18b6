// What lstat says of a file, with nanosecond times; the walker compares these to decide what to re-read.
namespace TimeTravel.Store.Posix;

public readonly record struct FileStatus(
    ulong Device,
    ulong Inode,
    ulong Links,
    uint Mode,
    uint Uid,
    uint Gid,
    ulong RDev,
    long Size,
    long Blocks,
    long MTimeNs,
    long CTimeNs,
    long ATimeNs)
{
    public FileKind Kind => FileKinds.FromMode(Mode);
    public uint Permissions => Mode & 0xFFF; // rwx plus setuid, setgid, sticky

    /// <summary>Same content as far as a walk can tell without reading: size and mtime (see docs/design.md).</summary>
    public bool SameContentStamp(FileStatus other) => Size == other.Size && MTimeNs == other.MTimeNs;

    /// <summary>Unchanged while being read: size, mtime and ctime all equal.</summary>
    public bool StableAgainst(FileStatus other) => Size == other.Size && MTimeNs == other.MTimeNs && CTimeNs == other.CTimeNs;
}
