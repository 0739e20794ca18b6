// Counters a snapshot updates as it goes, read by the progress display from another thread.
namespace TimeTravel.Store.Snapshots;

public sealed class SnapshotProgress
{
    private long _files, _dirs, _bytesRead, _logical, _stats;
    public long Files => Interlocked.Read(ref _files);
    public long Directories => Interlocked.Read(ref _dirs);
    public long BytesRead => Interlocked.Read(ref _bytesRead);
    public long LogicalBytes => Interlocked.Read(ref _logical);
    /// <summary>lstat calls made on source paths: a journal-based snapshot makes them only on the way to a change.</summary>
    public long Stats => Interlocked.Read(ref _stats);
    public volatile string CurrentPath = "";

    internal void AddFile(long size) { Interlocked.Increment(ref _files); Interlocked.Add(ref _logical, size); }
    internal void AddDirectory() => Interlocked.Increment(ref _dirs);
    internal void AddRead(long n) => Interlocked.Add(ref _bytesRead, n);
    internal void AddStat() => Interlocked.Increment(ref _stats);
}
