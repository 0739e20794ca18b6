// One tracker per journal: `timetravel track` holds a PidLock on JOURNAL/tracker.lock while it runs, so a second one
// is refused with a message naming the first. Two trackers would each write their start into the other's intervals
// (every snapshot would walk) and double the kernel's work. The lock goes with the process, however it ends.
using TimeTravel.Store;

namespace TimeTravel.Kernel.Tracking;

public static class TrackerLock
{
    public const string FileName = "tracker.lock";

    /// <summary>Takes the lock of the journal in <paramref name="journalDirectory"/>, or throws naming the pid that holds it.</summary>
    public static PidLock Acquire(string journalDirectory)
    {
        StoreFiles.CreateDirectory(journalDirectory); // 0700, as every store directory
        string path = Path.Combine(journalDirectory, FileName);
        return PidLock.TryAcquire(path, out var holder)
            ?? throw new IOException($"{journalDirectory}: another `timetravel track` is running for this store ({holder} holds {path}); " +
                "stop it before starting a second one");
    }
}
