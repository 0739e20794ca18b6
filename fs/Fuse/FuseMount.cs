// A mounted ILowLevelFileSystem: owns the libfuse session and the thread running its multi-threaded loop.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Fuse;

// Usage: using var m = FuseMount.Mount(fs, "/mnt/x", options); using var s = m.UnmountOnSignals(); m.Wait();
// Dispose unmounts, waits for the loop and frees the session; it is safe to call more than once.
public sealed class FuseMount : IDisposable
{
    private readonly FuseSession _session;
    private readonly Thread _loopThread;
    private readonly ManualResetEventSlim _stopped = new();
    private readonly Lock _gate = new();
    private bool _unmounted;
    private bool _disposed;
    private int _loopResult;

    public ILowLevelFileSystem FileSystem { get; }
    public string MountPoint { get; }
    public FuseMountOptions Options { get; }

    // True until the loop has returned (after Unmount, an external umount, or a fatal session error).
    public bool IsRunning => !_stopped.IsSet;

    private FuseMount(ILowLevelFileSystem fileSystem, string mountPoint, FuseMountOptions options)
    {
        FileSystem = fileSystem;
        MountPoint = mountPoint;
        Options = options;
        _session = FuseSession.Create(options.ToArguments(), this);
        _loopThread = new Thread(RunLoop) { IsBackground = true, Name = "fuse-loop " + mountPoint };
    }

    // Mounts and starts serving before it returns. Throws if libfuse rejects the options or cannot mount.
    public static FuseMount Mount(ILowLevelFileSystem fileSystem, string mountPoint, FuseMountOptions? options = null)
    {
        // Interop/Stat.cs is the x86_64 glibc layout; aarch64 lays struct stat out differently.
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the libfuse3 binding is laid out for Linux x86_64 only");
        var mount = new FuseMount(fileSystem, Path.GetFullPath(mountPoint), options ?? new FuseMountOptions());
        try
        {
            mount._session.Mount(mount.MountPoint);
        }
        catch
        {
            mount._session.Dispose();
            throw;
        }
        mount._loopThread.Start();
        if (mount.Options.ReadAheadKilobytes is int kb && Environment.IsPrivilegedProcess)
        {
            try { ReadAhead.Set(mount.MountPoint, kb); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { mount.ReportError("read_ahead_kb", e); }
        }
        return mount;
    }

    private void RunLoop()
    {
        try { _loopResult = _session.Loop(Options.MaxThreads, Options.CloneFd); }
        catch (Exception e) { _loopResult = -Errno.EIO; ReportError("loop", e); }
        finally { _stopped.Set(); }
    }

    // Ends the session: the loop returns shortly after. Returns at once; idempotent; safe from any thread,
    // including a PosixSignalRegistration handler. A busy mount is detached lazily.
    public void Unmount()
    {
        lock (_gate)
        {
            if (_unmounted || _disposed) return;
            _unmounted = true;
            _session.ExitAndUnmount();
        }
    }

    // Waits for the loop; returns its result: 0, or -errno if the session failed.
    public int Wait()
    {
        _stopped.Wait();
        return _loopResult;
    }

    public bool Wait(TimeSpan timeout) => _stopped.Wait(timeout);

    // SIGINT and SIGTERM unmount instead of killing the process; the caller's Wait() then returns.
    public IDisposable UnmountOnSignals()
    {
        void Handler(PosixSignalContext context)
        {
            context.Cancel = true;
            Unmount();
        }
        return new Registrations(
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handler),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handler));
    }

    // Drop the kernel's cached lookup of parent/name (positive or negative) so a new or changed entry shows.
    // Returns 0 or errno (ENOENT if the kernel had nothing cached). Must not be called from inside a
    // filesystem method handling a request on parent: that can deadlock.
    public int InvalidateEntry(ulong parent, ReadOnlySpan<byte> name)
    {
        lock (_gate)
            return _disposed ? Errno.EBADF : _session.InvalidateEntry(parent, name);
    }

    // Drop cached data of ino from offset for length bytes (0 = to the end; offset < 0 = attributes only).
    // On a directory this drops a cached listing (cache_readdir). Same deadlock rule as InvalidateEntry.
    public int InvalidateInode(ulong ino, long offset = 0, long length = 0)
    {
        lock (_gate)
            return _disposed ? Errno.EBADF : _session.InvalidateInode(ino, offset, length);
    }

    internal void ReportError(string operation, Exception e)
    {
        if (Options.OnCallbackError is { } handler) handler(operation, e);
        else Console.Error.WriteLine($"timetravel: fuse {operation} failed on {MountPoint}: {e}");
    }

    public void Dispose()
    {
        Unmount();
        Wait();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _session.Dispose();   // fuse_session_destroy: no callback can run after this
    }

    private sealed class Registrations(params PosixSignalRegistration[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in items) r.Dispose();
        }
    }
}
