// One writer at a time: an flock on STORE/lock, with the holder described in STORE/lock.owner for the message others see.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store;

public sealed class WriterLock : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _ownerPath;

    private WriterLock(SafeFileHandle handle, string ownerPath) { _handle = handle; _ownerPath = ownerPath; }

    /// <summary>The purpose garbage collection's switch names itself by in lock.owner.</summary>
    public const string GcPurpose = "timetravel gc: switching the index";
    private static readonly TimeSpan GcSwitchPatience = TimeSpan.FromMinutes(2);

    public static WriterLock Acquire(StoreLayout layout, string purpose)
    {
        // Opened through libc: .NET's own emulation of FileShare would take a shared flock first and spoil the message.
        var handle = PosixFs.OpenLockFile(layout.Lock);
        // A writer that has just finished (or a child forked by this process that has not yet exec'd and so still
        // shares the lock's descriptor) may hold the lock for a moment: wait 200 ms before refusing.
        bool locked = PosixFs.TryLockExclusive(handle, layout.Lock);
        for (int i = 0; !locked && i < 5; i++)
        {
            Thread.Sleep(40);
            locked = PosixFs.TryLockExclusive(handle, layout.Lock);
        }
        // Garbage collection holds the lock only to switch the index, for seconds: a snapshot started then waits for it.
        var deadline = DateTime.UtcNow + GcSwitchPatience;
        while (!locked && Holder(layout).Contains(GcPurpose, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            locked = PosixFs.TryLockExclusive(handle, layout.Lock);
        }
        if (!locked)
        {
            handle.Dispose();
            throw new StoreLockedException($"{layout.Root}: the store is locked by {Holder(layout)}; only one writer at a time (readers are never blocked)");
        }
        return Take(handle, layout, purpose);
    }

    /// <summary>
    /// Waits for the lock as long as it takes (garbage collection's switch waits for a running snapshot or forget to
    /// finish), calling <paramref name="waiting"/> once with the holder when it has to wait.
    /// </summary>
    public static WriterLock AcquireWaiting(StoreLayout layout, string purpose, Action<string> waiting)
    {
        var handle = PosixFs.OpenLockFile(layout.Lock);
        bool said = false;
        while (!PosixFs.TryLockExclusive(handle, layout.Lock))
        {
            if (!said) { waiting(Holder(layout)); said = true; }
            Thread.Sleep(50);
        }
        return Take(handle, layout, purpose);
    }

    private static string Holder(StoreLayout layout)
    {
        try { return File.ReadAllText(layout.LockOwner).Trim(); } catch (IOException) { return "another process"; }
    }

    private static WriterLock Take(SafeFileHandle handle, StoreLayout layout, string purpose)
    {
        var writerLock = new WriterLock(handle, layout.LockOwner);
        try
        {
            StoreFiles.WriteAllText(layout.LockOwner,
                $"pid {Environment.ProcessId} on {Environment.MachineName} ({purpose}) since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss}\n");
        }
        catch (IOException e)
        {
            writerLock.Dispose(); // a half-written owner file (the disk is full) goes too
            throw new IOException($"{layout.Root}: cannot take the writer lock: {e.Message}", e);
        }
        return writerLock;
    }

    public void Dispose()
    {
        try { File.Delete(_ownerPath); } catch (IOException) { }
        _handle.Dispose(); // closing the descriptor releases the flock, as does the death of the process
    }
}
