// How a snapshot got the content of the regular files it looked at: read whole, read by changed ranges (with the
// bytes those reads took against the files' sizes), or kept without reading (unchanged stamp, or a range tracker
// that saw no write). Counted as the snapshot goes, recorded in its statistics.
namespace TimeTravel.Store.Snapshots;

public sealed class FileReads
{
    private long _wholeFiles, _wholeBytes, _rangeFiles, _rangeFileBytes, _rangeBytesRead, _reusedFiles;

    public long WholeFiles => Interlocked.Read(ref _wholeFiles);
    /// <summary>Bytes read for the files read whole.</summary>
    public long WholeBytes => Interlocked.Read(ref _wholeBytes);
    public long RangeFiles => Interlocked.Read(ref _rangeFiles);
    /// <summary>The sizes of the files read by ranges.</summary>
    public long RangeFileBytes => Interlocked.Read(ref _rangeFileBytes);
    /// <summary>Bytes read for them.</summary>
    public long RangeBytesRead => Interlocked.Read(ref _rangeBytesRead);
    public long ReusedFiles => Interlocked.Read(ref _reusedFiles);

    internal void Whole(long read) { Interlocked.Increment(ref _wholeFiles); Interlocked.Add(ref _wholeBytes, read); }
    internal void Ranges(long size, long read) { Interlocked.Increment(ref _rangeFiles); Interlocked.Add(ref _rangeFileBytes, size); Interlocked.Add(ref _rangeBytesRead, read); }
    internal void Reused() => Interlocked.Increment(ref _reusedFiles);
}
