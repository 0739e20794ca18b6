// Test support for real snapshot mounts: mounting a store in this process, running the `timetravel` CLI as a
// child, and the cleanup every test runs in finally/Dispose so no mount, daemon or temp dir outlives it.
using TimeTravel.Store.Posix;
using System.Diagnostics;
using TimeTravel.Cli.Commands;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Mounting;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;

namespace TimeTravel.Tests.Fs.Mounting.Support;

internal static class Mounts
{
    /// <summary>How many mounts /proc/self/mountinfo lists at path (more than one means stacked mounts).</summary>
    public static int CountAt(string path) =>
        File.ReadLines("/proc/self/mountinfo").Count(l => MountInfo.Unescape(l.Split(' ')[4]) == path);

    public static bool IsMounted(string path) => CountAt(path) > 0;

    /// <summary>Removes every mount at path: fusermount3 -u, then -uz, then umount -l.</summary>
    public static void ForceUnmount(string path)
    {
        for (int i = 0; i < 5 && IsMounted(path); i++) TestMount.Run("fusermount3", "-u", path);
        for (int i = 0; i < 5 && IsMounted(path); i++) TestMount.Run("fusermount3", "-u", "-z", path);
        for (int i = 0; i < 5 && IsMounted(path); i++) TestMount.Run("umount", "-l", path);
    }

    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) return false;
            Thread.Sleep(25);
        }
        return true;
    }

    /// <summary>rm -rf (Directory.Delete cannot remove names that are not UTF-8).</summary>
    public static void RemoveTree(string? path)
    {
        if (path is null || !Path.Exists(path)) return;
        if (IsMounted(path)) ForceUnmount(path);
        TestMount.Run("rm", "-rf", "--one-file-system", path);
    }
}

/// <summary>A store mounted in this process exactly as `timetravel mount` mounts it (SnapshotMount.Options).</summary>
internal sealed class InProcessMount : IDisposable
{
    public string Path { get; }
    public Repository Repository { get; }
    public FuseMount Mount { get; }
    public List<string> Log { get; } = [];
    private readonly CatalogWatcher _watcher;
    private readonly bool _ownsDirectory;

    public InProcessMount(string store, string? mountPoint = null)
    {
        _ownsDirectory = mountPoint is null;
        Path = mountPoint ?? TempDir.Create("tt-mnt-");
        Repository = Repository.OpenReader(store);
        try
        {
            void Note(string m) { lock (Log) Log.Add(m); }
            var fs = new SnapshotFileSystem(Repository, Note);
            Mount = FuseMount.Mount(fs, SnapshotMount.Check(store, Path), SnapshotMount.Options(store, Note));
            _watcher = new CatalogWatcher(fs, Mount, Note);
        }
        catch
        {
            Repository.Dispose();
            if (_ownsDirectory) Directory.Delete(Path);
            throw;
        }
    }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string[] LogLines() { lock (Log) return Log.ToArray(); }

    public void Dispose()
    {
        try
        {
            _watcher.Dispose();
            Mount.Unmount();
            if (!Mount.Wait(TimeSpan.FromSeconds(15)))
            {
                Mounts.ForceUnmount(Path);
                if (!Mount.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException($"the fuse loop for {Path} did not end");
            }
            Mount.Dispose();
        }
        finally
        {
            if (Mounts.IsMounted(Path)) Mounts.ForceUnmount(Path);
            Repository.Dispose();
            if (_ownsDirectory) try { Directory.Delete(Path); } catch (IOException) { }
        }
    }
}

/// <summary>A background `timetravel mount` daemon; Dispose unmounts and kills it by its pid.</summary>
internal sealed class MountDaemon : IDisposable
{
    public string MountPoint { get; }
    public int Pid { get; private set; }
    public CliResult StartResult { get; }

    public MountDaemon(string store, string mountPoint)
    {
        MountPoint = mountPoint;
        StartResult = TimeTravelCli.Exec("--store", store, "mount", mountPoint);
        if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out int pid)) Pid = pid;
        else if (System.Text.RegularExpressions.Regex.Match(StartResult.Stdout, @"\(pid (\d+)") is { Success: true } m) Pid = int.Parse(m.Groups[1].Value);
    }

    public string PidFile => MountCommand.PidFile(MountPoint);

    public bool IsAlive => Pid > 0 && IsRunning(Pid);

    public static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException) { return false; }
    }

    public void Signal(string signal) => TestMount.Run("kill", "-" + signal, Pid.ToString());

    public void Dispose()
    {
        try
        {
            if (Mounts.IsMounted(MountPoint)) Mounts.ForceUnmount(MountPoint);
            if (IsAlive && !Mounts.WaitUntil(() => !IsAlive, TimeSpan.FromSeconds(5))) Signal("KILL");
            Mounts.WaitUntil(() => !IsAlive, TimeSpan.FromSeconds(5));
        }
        finally
        {
            if (Mounts.IsMounted(MountPoint)) Mounts.ForceUnmount(MountPoint);
            try { File.Delete(PidFile); } catch (IOException) { }
        }
    }
}
