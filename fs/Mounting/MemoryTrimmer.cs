// Gives memory back to the system after the kernel forgets inodes (memory pressure, drop_caches, a finished walk).
// The daemon holds a record per inode the kernel holds, and the GC keeps freed heap committed unless told to give
// it back, so a daemon that once served a walk of a million files would stay that large. Every few seconds: when
// the inode table has shrunk by a quarter (and by at least 10,000) since its peak, a compacting collection returns
// the freed memory to the system.
using TimeTravel.Fs.Snapshots;

namespace TimeTravel.Fs.Mounting;

public sealed class MemoryTrimmer : IDisposable
{
    private readonly InodeTable _inodes;
    private readonly Timer _timer;
    private int _peak;

    public MemoryTrimmer(InodeTable inodes, TimeSpan? period = null)
    {
        _inodes = inodes;
        var every = period ?? TimeSpan.FromSeconds(5);
        _timer = new Timer(_ => TrimIfShrunk(), null, every, every);
    }

    /// <summary>Collects and returns freed memory if the table shrank enough since its peak; the timer calls this.</summary>
    public bool TrimIfShrunk()
    {
        int count = _inodes.Count;
        if (count > _peak) { _peak = count; return false; }
        if (_peak - count < Math.Max(10_000, _peak / 4)) return false;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _peak = count;
        return true;
    }

    public void Dispose() => _timer.Dispose();
}
