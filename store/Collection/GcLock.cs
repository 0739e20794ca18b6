// One garbage collection at a time: a PidLock on STORE/gc.lock, as the tracker has for its journal. gc holds it for
// its whole run (mark, copy, the new index, the switch, the deletions); `index rebuild` and `catalog rebuild` take it
// too, so a rebuild never runs beside a collection. It is not the writer lock: snapshots go on meanwhile.
namespace TimeTravel.Store.Collection;

public static class GcLock
{
    public const string FileName = "gc.lock";

    /// <summary>Takes the lock, or throws a StoreException naming the pid of the collection that holds it.</summary>
    public static PidLock Acquire(StoreLayout layout) =>
        TryAcquire(layout, out var holder) ?? throw new StoreException($"{layout.Root}: another gc is running ({holder}); one at a time");

    /// <summary>The lock, or null (with who holds it) when another process has it.</summary>
    public static PidLock? TryAcquire(StoreLayout layout, out string holder) => PidLock.TryAcquire(Path.Combine(layout.Root, FileName), out holder);
}
