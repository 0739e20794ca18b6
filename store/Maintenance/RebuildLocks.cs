// What a rebuild from the arenas (the index, the catalog) holds while it works: the writer lock, and gc's lock, so it
// never runs beside a collection (whose new segments and half-written compacted arenas it would delete or read as
// damage). A collection killed part way is finished or undone first.
using TimeTravel.Store.Collection;

namespace TimeTravel.Store.Maintenance;

public sealed class RebuildLocks : IDisposable
{
    private readonly WriterLock _writer;
    private readonly PidLock _gc;

    private RebuildLocks(WriterLock writer, PidLock gc) { _writer = writer; _gc = gc; }

    /// <summary>Takes both locks (refusing while another writer or a gc runs); <paramref name="report"/> hears what recovery did.</summary>
    public static RebuildLocks Take(StoreLayout layout, string purpose, Action<string>? report)
    {
        StoreConfig.Load(layout.Config);
        var writer = WriterLock.Acquire(layout, purpose);
        PidLock? gc = null;
        try
        {
            gc = GcLock.Acquire(layout);
            if (CollectionRecovery.Recover(layout) is { } recovered) report?.Invoke(recovered);
            return new RebuildLocks(writer, gc);
        }
        catch { gc?.Dispose(); writer.Dispose(); throw; }
    }

    public void Dispose()
    {
        _gc.Dispose();
        _writer.Dispose();
    }
}
