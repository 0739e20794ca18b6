// One writer at a time: an flock on STORE/lock, with the holder described in STORE/lock.owner for the message others see.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store;

public sealed class WriterLock : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _ownerPath;

    private WriterLock(SafeFileHandle handle, string ownerPath) { _handle = handle; _ownerPath = ownerPath; }

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
        if (!locked)
        {
            handle.Dispose();
            string holder = "another process";
            try { holder = File.ReadAllText(layout.LockOwner).Trim(); } catch (IOException) { }
            throw new StoreException($"{layout.Root}: the store is locked by {holder}; only one writer at a time (readers are never blocked)");
        }
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
