// A writer that keeps a counter in two files in lockstep, as fast as it can: A = n, then B = n, then n + 1. Each
// write opens the file, overwrites its 20 digits in place (no truncation, so no reader ever sees it empty) and closes
// it, so the tracker journals every write. Whatever instant a freeze stops it at, A == B or A == B + 1. A crash gives
// that only for writes the writer synced in order: with `sync` each write is fsynced before the next begins, which is
// what a btrfs snapshot needs (it holds each file as of its own writeback, so unsynced writes to two files can land in
// either order, as after a crash).
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Tests.Cli.Consistency;

public sealed class LockstepWriter : IDisposable
{
    private readonly string _a, _b;
    private readonly bool _sync;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _rounds;

    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>Writes 0 to both, then keeps counting until disposed.</summary>
    public LockstepWriter(string a, string b, bool sync = false)
    {
        (_a, _b, _sync) = (a, b, sync);
        Write(_a, 0);
        Write(_b, 0);
        _thread = new Thread(Loop) { IsBackground = true, Name = "lockstep writer" };
        _thread.Start();
    }

    private void Loop()
    {
        for (long n = 1; !_stop; n++)
        {
            Write(_a, n);
            Write(_b, n);
            Interlocked.Exchange(ref _rounds, n);
        }
    }

    private void Write(string path, long n)
    {
        using SafeFileHandle h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write);
        RandomAccess.Write(h, Encoding.ASCII.GetBytes(n.ToString("D20")), 0);
        if (_sync) RandomAccess.FlushToDisk(h);
    }

    /// <summary>Would a crash at one instant leave these two values? (A is written first.)</summary>
    public static bool Agree(long a, long b) => a == b || a == b + 1;

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
