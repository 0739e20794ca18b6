// One garbage collection at a time: an flock on STORE/gc.lock with the holder's pid inside, as TrackerLock does for
// the tracker. gc holds it for its whole run (mark, copy, the new index, the switch, the deletions); `index rebuild`
// takes it too, so a rebuild never runs beside a collection. It is not the writer lock: snapshots go on meanwhile.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Collection;

public sealed class GcLock : IDisposable
{
    public const string FileName = "gc.lock";

    private readonly SafeFileHandle _handle;

    private GcLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock, or throws a StoreException naming the pid of the collection that holds it.</summary>
    public static GcLock Acquire(StoreLayout layout) =>
        TryAcquire(layout, out var holder) ?? throw new StoreException($"{layout.Root}: another gc is running ({holder}); one at a time");

    /// <summary>The lock, or null (with who holds it) when another process has it.</summary>
    public static GcLock? TryAcquire(StoreLayout layout, out string holder)
    {
        string path = Path.Combine(layout.Root, FileName);
        var handle = PosixFs.OpenLockFile(path);
        try
        {
            if (!PosixFs.TryLockExclusive(handle, path))
            {
                holder = Holder(handle);
                handle.Dispose();
                return null;
            }
            byte[] pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, pid, 0);
            holder = "";
            return new GcLock(handle);
        }
        catch { handle.Dispose(); throw; }
    }

    // Read through our own descriptor: .NET's file reading would take a shared flock the holder's exclusive one refuses.
    private static string Holder(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int n = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim(), out int pid) ? $"pid {pid}" : "a process";
    }

    public void Dispose() => _handle.Dispose();
}
