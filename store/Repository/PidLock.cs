// An exclusive flock on a lock file with the holder's pid written inside, so a second taker is refused with a message
// naming the first. The lock goes with the process, however it ends. The tracker's lock (one tracker per journal) and
// gc's (one collection per store) are this; the writer lock names its holder in lock.owner instead (see WriterLock).
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store;

public sealed class PidLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private PidLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>The lock on <paramref name="path"/>, or null with who holds it ("pid N", or "a process" that has not written it yet).</summary>
    public static PidLock? TryAcquire(string path, out string holder)
    {
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
            return new PidLock(handle);
        }
        catch { handle.Dispose(); throw; }
    }

    // Read through our own descriptor: .NET's file reading takes a shared flock of its own, which the holder's
    // exclusive one refuses.
    private static string Holder(SafeFileHandle handle)
    {
        var buffer = new byte[32];
        int n = RandomAccess.Read(handle, buffer, 0);
        return int.TryParse(System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim(), out int pid) ? $"pid {pid}" : "a process";
    }

    public void Dispose() => _handle.Dispose();
}
