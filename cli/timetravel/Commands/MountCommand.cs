// `timetravel mount [MOUNTPOINT] [-f]` and `timetravel umount [MOUNTPOINT]`: the snapshots as read-only dated
// directories. In the background by default: the command returns once the mount answers, the daemon lives on.
using TimeTravel.Store.Posix;
using System.CommandLine;
using System.Diagnostics;
using TimeTravel.Fs.Mounting;
using TimeTravel.Store;

namespace TimeTravel.Cli.Commands;

public static class MountCommand
{
    public const string PidDirectory = "/run/timetravel";
    public const string DaemonGcConserveMemory = "7"; // 0 (off) to 9: how hard the GC fights fragmentation

    public static Command Create()
    {
        var mountPoint = new Argument<string>("mountpoint") { Description = "Where to mount", DefaultValueFactory = _ => SnapshotMount.DefaultMountPoint };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground until unmounted" };
        var cmd = new Command("mount", "Mount the snapshots read-only, one dated directory each") { mountPoint, foreground };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = Path.GetFullPath(CommonOptions.StoreRoot(r));
            Store.Bucket.BucketCatchUp.Run(store, m => Console.Error.WriteLine($"timetravel: {m}"));
            bool inForeground = r.GetValue(foreground);
            // In the foreground, Serve opens and checks the store itself, and keeps the snapshot list it read.
            string given = PathArguments.Text(r.GetValue(mountPoint)!, "mount point");
            string mp = inForeground ? SnapshotMount.CheckMountPoint(given) : SnapshotMount.Check(store, given);
            if (inForeground)
            {
                WritePid(mp, Environment.ProcessId);
                try { return SnapshotMount.Serve(store, mp, m => Console.Error.WriteLine($"timetravel: {m}")) == 0 ? 0 : 1; }
                finally { try { File.Delete(PidFile(mp)); } catch (IOException) { } }
            }
            return StartDaemon(store, mp);
        }));
        return cmd;
    }

    public static Command CreateUmount()
    {
        var mountPoint = new Argument<string>("mountpoint") { Description = "The mount to remove", DefaultValueFactory = _ => SnapshotMount.DefaultMountPoint };
        var cmd = new Command("umount", "Unmount the snapshots") { mountPoint };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string mp = Path.GetFullPath(PathArguments.Text(r.GetValue(mountPoint)!, "mount point"));
            if (!MountInfo.IsMountPoint(mp)) throw new StoreException($"{mp}: nothing is mounted there");
            var p = Process.Start(new ProcessStartInfo("fusermount3", ["-u", mp]) { RedirectStandardError = true })!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new StoreException($"{mp}: unmount failed: {err.Trim()}");
            for (int i = 0; i < 100 && File.Exists(PidFile(mp)); i++) Thread.Sleep(50); // let the daemon finish
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    public static string PidFile(string mountPoint) =>
        Path.Combine(PidDirectory, "mount" + mountPoint.Replace("/", "_") + ".pid");

    private static void WritePid(string mp, int pid)
    {
        try { Directory.CreateDirectory(PidDirectory); File.WriteAllText(PidFile(mp), pid + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    // Starts `timetravel mount -f` in a new session with its output in a log file, then waits until the mount answers.
    // The shell stays as the daemon's parent: libfuse's auto_unmount helper leaves a dead mount when it wakes before
    // the kernel has released a killed daemon's /dev/fuse (it sees ECONNABORTED, not ENOTCONN), so once the daemon
    // is gone the shell lazily unmounts the mount point if it is dead (stat fails). Its own output goes to the log
    // too, so nothing holds the caller's stdout open.
    private static int StartDaemon(string store, string mp)
    {
        string log = Path.Combine(Directory.Exists("/var/log") && Environment.IsPrivilegedProcess ? "/var/log" : Path.GetTempPath(), "timetravel-mount.log");
        var self = SelfCommand();
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = false, RedirectStandardError = false };
        psi.ArgumentList.Add("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec >>\"$0\" 2>&1 </dev/null; mp=$1; shift; \"$@\"; rc=$?; stat \"$mp\" >/dev/null 2>&1 || fusermount3 -u -z -q \"$mp\" >/dev/null 2>&1; exit $rc");
        psi.ArgumentList.Add(log);
        psi.ArgumentList.Add(mp);
        foreach (var a in self) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--store", store, "mount", "-f", mp }) psi.ArgumentList.Add(a);
        // The GC compacts harder to keep the heap near what is live: the daemon's heap follows the inodes the kernel
        // holds, which grow by hundreds of thousands in a walk and shrink when it forgets them (see docs/design.md).
        psi.Environment["DOTNET_GCConserveMemory"] = DaemonGcConserveMemory;
        var child = Process.Start(psi)!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (MountInfo.IsMountPoint(mp))
            {
                Console.WriteLine($"mounted {store} at {mp} (pid {DaemonPid(mp) ?? child.Id}, log {log})");
                return CommonOptions.Ok;
            }
            if (child.HasExited) throw new StoreException($"{mp}: the mount daemon exited with status {child.ExitCode}; see {log}");
            Thread.Sleep(20);
        }
        throw new StoreException($"{mp}: the mount did not appear within 30 s; see {log}");
    }

    private static int? DaemonPid(string mp)
    {
        try { return int.TryParse(File.ReadAllText(PidFile(mp)).Trim(), out int pid) ? pid : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>How to run this same program again: the native executable, or `dotnet timetravel.dll`.</summary>
    public static string[] SelfCommand()
    {
        string exe = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
            return [exe, Path.Combine(AppContext.BaseDirectory, "timetravel.dll")]; // only ever under `dotnet`, never ahead-of-time compiled
        return [exe];
    }
}
