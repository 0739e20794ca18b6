// One frozen filesystem (FIFREEZE): no write reaches it until it is thawed, so what is read meanwhile is what a crash
// at the moment of freezing would have left. Two things thaw it at the limit whatever happens: a timer in this
// process, after which the snapshot goes on reading unfrozen and says so, and a watchdog process started before the
// freeze in a session of its own (`setsid sh -c 'sleep LIMIT; fsfreeze -u DIR'`), so that a kill -9 of this process
// cannot leave the filesystem frozen. The watchdog is killed by its pid (with its sleep) once we have thawed. A
// SIGTERM, SIGINT or SIGHUP thaws at once before the process ends: stopping a systemd unit signals its whole control
// group, the watchdog included, so there the thaw must not wait for it.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Consistency;

public sealed class FilesystemFreeze : IDisposable
{
    private readonly SafeFileHandle _dir;
    private readonly Process _watchdog;
    private readonly Timer _timer;
    private readonly Stopwatch _frozen;
    private readonly object _gate = new();
    private bool _thawed;

    private static readonly HashSet<FilesystemFreeze> Active = [];
    private static readonly PosixSignalRegistration[] OnSignals =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => ThawAll()))];

    private static void ThawAll()
    {
        List<FilesystemFreeze> all;
        lock (Active) all = [.. Active];
        foreach (var f in all) f.Thaw(); // then the signal's default action ends the process
    }

    /// <summary>The directory the filesystem was frozen through (a source's root).</summary>
    public string Directory { get; }
    public ulong Device { get; }

    /// <summary>How long it was (or has been) frozen.</summary>
    public TimeSpan Duration { get { lock (_gate) return _frozen.Elapsed; } }

    /// <summary>Thawed by the timer at the limit, before the read was done.</summary>
    public bool ThawedAtLimit { get; private set; }

    public TimeSpan Limit { get; }

    private FilesystemFreeze(string directory, ulong device, SafeFileHandle dir, Process watchdog, TimeSpan limit)
    {
        Directory = directory;
        Device = device;
        Limit = limit;
        _dir = dir;
        _watchdog = watchdog;
        _frozen = Stopwatch.StartNew();
        lock (Active) Active.Add(this);
        GC.KeepAlive(OnSignals);
        _timer = new Timer(_ => Thaw(atLimit: true), null, limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Freezes the filesystem holding <paramref name="directory"/>; null, with why, when it cannot.</summary>
    public static FilesystemFreeze? Begin(string directory, ulong device, TimeSpan limit, out string? whyNot)
    {
        whyNot = null;
        string? fsfreeze = new[] { "/usr/sbin/fsfreeze", "/sbin/fsfreeze", "/usr/bin/fsfreeze" }.FirstOrDefault(File.Exists);
        if (fsfreeze is null) { whyNot = "fsfreeze(8) is not installed, so nothing could thaw the filesystem if this process died"; return null; }
        SafeFileHandle dir;
        try { dir = PosixFs.OpenDirectoryAt(null, PathBytes.From(directory), PathBytes.From(directory)); }
        catch (PosixException e) { whyNot = e.Message; return null; }
        Process watchdog;
        try { watchdog = StartWatchdog(fsfreeze, directory, limit); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            dir.Dispose();
            whyNot = $"the thaw watchdog could not be started: {e.Message}";
            return null;
        }
        int errno = LinuxCalls.Freeze(dir);
        if (errno != 0)
        {
            Kill(watchdog);
            dir.Dispose();
            whyNot = errno switch
            {
                Errno.EPERM => "freezing needs CAP_SYS_ADMIN",
                16 => "the filesystem is frozen already (by someone else)", // EBUSY
                _ => $"FIFREEZE failed: {Errno.Describe(errno)}",
            };
            return null;
        }
        return new FilesystemFreeze(directory, device, dir, watchdog, limit);
    }

    // `setsid` makes the shell a session (and process group) leader of its own, out of reach of a signal to ours.
    private static Process StartWatchdog(string fsfreeze, string directory, TimeSpan limit)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "sh", "-c", "sleep \"$1\"; exec \"$2\" -u \"$3\"", "timetravel-thaw",
                     limit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), fsfreeze, directory })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("setsid did not start");
        p.StandardInput.Close();
        return p;
    }

    /// <summary>Thaws now (idempotent). Returns false when it had been thawed already.</summary>
    public bool Thaw() => Thaw(atLimit: false);

    private bool Thaw(bool atLimit)
    {
        lock (_gate)
        {
            if (_thawed) return false;
            _thawed = true;
            ThawedAtLimit = atLimit;
            LinuxCalls.Thaw(_dir); // EINVAL: the watchdog was quicker; thawed all the same
            _frozen.Stop();
        }
        lock (Active) Active.Remove(this);
        _timer.Dispose();
        Kill(_watchdog);
        return true;
    }

    private static void Kill(Process watchdog)
    {
        try { if (!watchdog.HasExited) watchdog.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // it ended meanwhile
        try { watchdog.WaitForExit(5000); } catch (InvalidOperationException) { }
        watchdog.Dispose();
    }

    public void Dispose()
    {
        Thaw();
        _dir.Dispose();
    }
}
