// What statfs (df) says of the mount: the space of the filesystem holding the store, with the store's own bytes as
// "used". Size is the store plus the free space beside it (so df's Used is the store, its Avail what backups may
// still grow into); inode counts are 0, as for other filesystems without a fixed inode table (df -i shows "-").
// Summing the store's files takes a directory walk, so the figures are kept for a few seconds.
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Snapshots;

public sealed class StoreSpace(string storeRoot)
{
    public const ulong BlockSize = 4096;
    private const long KeepMs = 2000;

    private readonly object _lock = new();
    private FileSystemStats _stats;
    private long _takenAt = -1;

    public FileSystemStats Stats()
    {
        lock (_lock)
        {
            long now = Environment.TickCount64;
            if (_takenAt >= 0 && now - _takenAt < KeepMs) return _stats;
            if (Libc.statvfs(storeRoot, out StatVfs host) != 0)
                throw new IOException($"{storeRoot}: statvfs: {PosixException.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
            ulong unit = host.f_frsize != 0 ? host.f_frsize : host.f_bsize;
            ulong free = host.f_bfree * unit / BlockSize, available = host.f_bavail * unit / BlockSize;
            ulong used = (ulong)((StoreBytes(storeRoot) + (long)BlockSize - 1) / (long)BlockSize);
            _stats = new FileSystemStats
            {
                BlockSize = BlockSize, FragmentSize = BlockSize,
                Blocks = used + free, BlocksFree = free, BlocksAvailable = available,
                Files = 0, FilesFree = 0, FilesAvailable = 0,
                NameMax = 255,
            };
            _takenAt = now;
            return _stats;
        }
    }

    /// <summary>The bytes of every file in the store: arenas, index, catalog, journal, config.</summary>
    public static long StoreBytes(string root)
    {
        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            try { total += file.Length; }
            catch (IOException) { } // gone meanwhile (a segment merged away)
        }
        return total;
    }
}
