// A source on a loop-mounted filesystem of its own (ext4, xfs or btrfs) with the store on another filesystem (so the
// source's may be frozen), the real `timetravel` run as child processes (the tracker stopped by pid), and a writer
// that keeps a counter in two files in lockstep. Everything it starts, mounts or creates goes in Dispose, also after a
// failed assertion; a filesystem a failed test left frozen is thawed before it is unmounted.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.IncrementalSnapshots;

namespace TimeTravel.Tests.Cli.Consistency;

public sealed class ConsistencySandbox : IDisposable
{
    public string Base { get; }
    /// <summary>Where the source's filesystem is mounted.</summary>
    public string Mount { get; }
    public string Source { get; }
    /// <summary>The store, on another filesystem than the source's unless a test moves it.</summary>
    public string Store { get; set; }
    private readonly string _image;
    private bool _mounted;
    private readonly List<TrackerProcess> _trackers = [];

    public ConsistencySandbox(string fsType, string sourceBelowMount = "src")
    {
        Base = Path.Combine("/var/tmp", "tt-cons-" + Guid.NewGuid().ToString("N")[..12]);
        Mount = Path.Combine(Base, "mnt");
        Source = Path.Combine(Mount, sourceBelowMount);
        Store = Path.Combine(Base, "store"); // on /var/tmp's filesystem, not the source's
        _image = Base + ".img";
        try
        {
            Directory.CreateDirectory(Mount);
            using (var f = File.Create(_image)) f.SetLength(1L << 30);
            switch (fsType)
            {
                case "ext4": Run("mkfs.ext4", "-q", "-F", _image); break;
                case "btrfs": Run("mkfs.btrfs", "-q", "-f", _image); break;
                case "xfs": Run("mkfs.xfs", "-q", "-f", _image); break;
                default: throw new ArgumentException(fsType);
            }
            Run("mount", "-o", "loop", _image, Mount);
            _mounted = true;
            Directory.CreateDirectory(Source);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static string Run(string file, params string[] args) => Shell.Run(file, args);

    public ProcessStartInfo CliStart(params string[] args)
    {
        var command = Support.TimeTravelCli.Command;
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in command[1..]) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(Store);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("TIMETRAVEL_STORE");
        psi.Environment["TERM"] = "dumb";
        return psi;
    }

    public IncrCliResult Cli(params string[] args)
    {
        using var p = Process.Start(CliStart(args))!;
        p.StandardInput.Close();
        var stdout = Task.Run(() => { var m = new MemoryStream(); p.StandardOutput.BaseStream.CopyTo(m); return m.ToArray(); });
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            Support.TimeTravelCli.Signal(p.Id, "KILL");
            throw new TimeoutException($"timetravel {string.Join(' ', args)} did not finish in 120 s");
        }
        p.WaitForExit();
        return new IncrCliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Init(params string[] args)
    {
        var r = Cli(["init", Source, .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException("init failed: " + r);
    }

    /// <summary>Takes a snapshot (exit 0 required): what `snapshot --json` printed.</summary>
    public IncrSnapshotInfo Snapshot(params string[] args)
    {
        var r = Cli(["snapshot", "--json", .. args]);
        if (r.ExitCode != 0) throw new InvalidOperationException("snapshot failed: " + r);
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return IncrSnapshotInfo.Parse(doc.RootElement);
    }

    public string ContentOf(string snapshot, string path)
    {
        using var repo = Repository.OpenReader(Store);
        var node = repo.Trees.Resolve(repo.FindSnapshot(snapshot).Root, PathBytes.Components(PathBytes.From(path)))
            ?? throw new Xunit.Sdk.XunitException($"{path} is not in snapshot {snapshot}");
        return Encoding.UTF8.GetString(repo.Trees.Streams.ReadAll(node.Content));
    }

    public TrackerProcess StartTracker()
    {
        var psi = CliStart("track");
        var t = new TrackerProcess(Process.Start(psi)!);
        _trackers.Add(t);
        t.WaitUntilWatching(TimeSpan.FromSeconds(30));
        return t;
    }

    public void Dispose()
    {
        foreach (var t in _trackers) t.Dispose();
        string idFile = Path.Combine(Store, "journal", "id");
        if (File.Exists(idFile))
        {
            try { global::TimeTravel.Kernel.Ranges.RangeMaps.DeletePins(global::TimeTravel.Kernel.Ranges.RangePins.For(File.ReadAllText(idFile).Trim())); }
            catch (IOException) { }
        }
        if (_mounted)
        {
            try { Run("fsfreeze", "-u", Mount); } catch (InvalidOperationException) { } // only if a failed test left it frozen
            try { Run("umount", Mount); }
            catch (InvalidOperationException) { try { Run("umount", "-l", Mount); } catch (InvalidOperationException) { } }
        }
        if (Directory.Exists(Base))
        {
            using var rm = Process.Start(new ProcessStartInfo("rm") { ArgumentList = { "-rf", "--one-file-system", "--", Base } })!;
            rm.WaitForExit();
        }
        File.Delete(_image);
    }
}
