// One tracker per journal: `timetravel track` holds an exclusive flock on JOURNAL/tracker.lock while it runs, with its
// pid written inside, so a second one is refused with a message naming the first. Two trackers would each write their
// start into the other's intervals (every snapshot would walk) and double the kernel's work. The lock goes with the
// process, however it ends.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Tracking;

public sealed class TrackerLock : IDisposable
{
    public const string FileName = "tracker.lock";

    private readonly SafeFileHandle _handle;

    private TrackerLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock of the journal in <paramref name="journalDirectory"/>, or throws naming the pid that holds it.</summary>
    public static TrackerLock Acquire(string journalDirectory)
    {
        StoreFiles.CreateDirectory(journalDirectory); // 0700, as every store directory
        string path = Path.Combine(journalDirectory, FileName);
        var handle = PosixFs.OpenLockFile(path);
        try
        {
            if (!PosixFs.TryLockExclusive(handle, path))
                throw new IOException($"{journalDirectory}: another `timetravel track` is running for this store ({Holder(handle)} holds {path}); " +
                    "stop it before starting a second one");
            byte[] pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, pid, 0);
            return new TrackerLock(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // The pid the holder wrote (it may not have written it yet). Read through our own descriptor: .NET's file reading
    // takes a shared flock of its own, which the holder's exclusive one refuses.
    private static string Holder(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int n = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim(), out int pid) ? $"pid {pid}" : "a process";
    }

    public void Dispose() => _handle.Dispose();
}
