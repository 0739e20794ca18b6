// Counters a long maintenance job (verify, index rebuild, stats) updates as it goes, read by a progress display from
// another thread. A total of -1 means "not known", so the display shows counts without a percentage.
namespace TimeTravel.Store.Maintenance;

public sealed class WorkProgress
{
    private long _items, _bytes, _totalItems = -1, _totalBytes = -1;
    private volatile string _phase = "";

    public string Phase => _phase;
    public long Items => Interlocked.Read(ref _items);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long TotalItems => Interlocked.Read(ref _totalItems);
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>Starts a phase ("arenas", "blocks"): counters back to zero, with the totals when known.</summary>
    public void Begin(string phase, long totalItems = -1, long totalBytes = -1)
    {
        Interlocked.Exchange(ref _items, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _totalItems, totalItems);
        Interlocked.Exchange(ref _totalBytes, totalBytes);
        _phase = phase;
    }

    public void Add(long items, long bytes)
    {
        Interlocked.Add(ref _items, items);
        Interlocked.Add(ref _bytes, bytes);
    }
}
