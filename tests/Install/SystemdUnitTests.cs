// The shipped systemd units, checked by systemd itself: systemd-analyze rates each one's exposure, and a private
// systemd (PID 1 of namespaces of its own, see boot-systemd.sh) runs the mount unit for real.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Install;

public sealed class SystemdUnitTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));

    public static TheoryData<string> Services =>
        ["kernel/timetravel-track.service", "cli/systemd/timetravel-snapshot.service", "fs/timetravel-mount.service"];

    // Regression: both units were rated 9.6 UNSAFE; each now has only what it needs.
    [Theory, MemberData(nameof(Services))]
    public void EveryShippedServiceIsRatedOkBySystemdAnalyzeSecurity(string unit)
    {
        var (_, output, err) = Shell.Try("systemd-analyze", "security", "--offline=yes", Path.Combine(Repo, unit));
        var m = Regex.Match(output, @"Overall exposure level for \S+: (\d+\.\d+) (\w+)");
        Assert.True(m.Success, output + err);
        double exposure = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 4.0, $"{unit}: exposure {exposure} {m.Groups[2].Value}\n{output}");
    }

    [Fact]
    public void InstallShInstallsAndEnablesTheMountUnit()
    {
        string install = File.ReadAllText(Path.Combine(Repo, "install.sh"));
        Assert.Contains("fs/timetravel-mount.service", install);
        Assert.Matches(@"systemctl enable --now timetravel-mount\.service", install);
    }

    // The timer's unit takes the snapshot, then applies the saved retention policy, then collects garbage, in that
    // order (a failed step stops the rest, so a failed snapshot forgets nothing).
    [Fact]
    public void TheSnapshotUnitSnapshotsThenAppliesTheSavedPolicyThenCollectsGarbage()
    {
        var steps = File.ReadAllLines(Path.Combine(Repo, "cli/systemd/timetravel-snapshot.service"))
            .Where(l => l.StartsWith("ExecStart=")).Select(l => l["ExecStart=".Length..]).ToList();
        Assert.Equal(["/usr/local/bin/timetravel snapshot", "/usr/local/bin/timetravel forget --policy", "/usr/local/bin/timetravel gc"], steps);
    }

    // Under the unit's hardening, `forget --policy` may write the catalog and gc the arenas and index: run for real by
    // a private systemd, the unit takes a snapshot, the saved policy then forgets what it does not keep, and gc
    // finishes its collection, so the unit ends in success (gc is its last step: the test above pins the order).
    [Fact, NeedsRoot]
    public void TheSnapshotUnitAppliesTheSavedPolicyAfterItsSnapshotThenCollectsGarbage()
    {
        using var scratch = new TempDir("tt-systemd");
        string store = scratch["store"], source = scratch["src"];
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "hello\n");
        Assert.Equal(0, TimeTravelCli.Run(store, "init", source).ExitCode);
        foreach (var day in new[] { "01", "02", "03" })
            Assert.Equal(0, TimeTravelCli.Run(store, "snapshot", "--quiet", "--time", $"2026-01-{day}T10:00:00+00:00").ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "policy", "set", "--keep-last", "2").ExitCode);
        Directory.CreateDirectory(scratch["bin"]);
        File.WriteAllText(scratch["bin/timetravel"], "#!/bin/sh\nexec " + TimeTravelCli.ShellCommand + " \"$@\"\n");
        File.SetUnixFileMode(scratch["bin/timetravel"], (UnixFileMode)0x1ED);
        File.WriteAllText(scratch["default"], $"TIMETRAVEL_STORE={store}\n");

        using var systemd = PrivateSystemd.Boot(scratch.Path, Path.Combine(Repo, "cli/systemd/timetravel-snapshot.service"));
        // As install.sh does for a store kept elsewhere than /var/lib/timetravel.
        systemd.Run("mkdir -p /run/systemd/system/timetravel-snapshot.service.d && " +
            $"printf '[Service]\\nReadWritePaths={store}\\n' > /run/systemd/system/timetravel-snapshot.service.d/store.conf && systemctl daemon-reload");
        systemd.Try("systemctl start timetravel-snapshot");
        var list = TimeTravelCli.Run(store, "list", "--json");
        var names = System.Text.Json.JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.True(names.Count == 2 && names[0] == "2026-01-03_1000" && !names[1].StartsWith("2026-01-0"),
            $"{string.Join(", ", names)}\n{systemd.Output("journalctl --no-pager -u timetravel-snapshot 2>&1")}{systemd.Status("timetravel-snapshot")}");
        Assert.True(systemd.Output("systemctl show -p Result --value timetravel-snapshot").Trim() == "success",
            $"{systemd.Output("journalctl --no-pager -u timetravel-snapshot 2>&1")}{systemd.Status("timetravel-snapshot")}");
    }

    // Under their units' hardening, the tracker loads the range tracker (BPF programs attached, maps pinned in
    // /sys/fs/bpf) and a snapshot opens them: the second snapshot reads the changed file by its ranges.
    [Fact, NeedsRoot, NeedsFanotify, NeedsBpf]
    public void UnderTheirUnitsTheTrackerLoadsTheRangeTrackerAndASnapshotReadsByRanges()
    {
        using var fs = new Kernel.Support.ScratchFilesystem(256L << 20);
        using var scratch = new TempDir("tt-systemd");
        string store = Path.Combine(fs.Root, "store"), source = Path.Combine(fs.Root, "src");
        Directory.CreateDirectory(source);
        var data = new byte[4 << 20];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(Path.Combine(source, "disk.img"), data);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", source).ExitCode);
        Directory.CreateDirectory(scratch["bin"]);
        File.WriteAllText(scratch["bin/timetravel"], "#!/bin/sh\nexec " + TimeTravelCli.ShellCommand + " \"$@\"\n");
        File.SetUnixFileMode(scratch["bin/timetravel"], (UnixFileMode)0x1ED);
        File.WriteAllText(scratch["default"], $"TIMETRAVEL_STORE={store}\n" +
            $"TIMETRAVEL_BPF_OBJECT={Environment.GetEnvironmentVariable("TIMETRAVEL_BPF_OBJECT")}\n");

        using var systemd = PrivateSystemd.Boot(scratch.Path, Path.Combine(Repo, "kernel/timetravel-track.service"),
            Path.Combine(Repo, "cli/systemd/timetravel-snapshot.service"));
        string pins = "";
        string Log() => File.Exists(scratch["track.log"]) ? File.ReadAllText(scratch["track.log"]) : "(no log)";
        try
        {
            foreach (var unit in new[] { "timetravel-track", "timetravel-snapshot" })
                systemd.Run($"mkdir -p /run/systemd/system/{unit}.service.d && " +
                    $"printf '[Service]\\nReadWritePaths={store}\\n' > /run/systemd/system/{unit}.service.d/store.conf");
            // The private systemd has no journal: the tracker's messages go to a file, for the failure messages.
            systemd.Run($"printf '[Service]\\nStandardError=append:{scratch["track.log"]}\\n' > /run/systemd/system/timetravel-track.service.d/log.conf");
            systemd.Run("systemctl daemon-reload && systemctl start timetravel-track");
            Assert.True(systemd.WaitFor($"test -s {store}/journal/id", 30), systemd.Status("timetravel-track"));
            pins = global::TimeTravel.Kernel.Ranges.RangePins.For(File.ReadAllText(Path.Combine(store, "journal", "id")).Trim());
            Assert.True(systemd.WaitFor($"test -e {pins}/tt_state && ls {pins}/links | grep -q .", 30),
                "the range tracker did not load under its unit\n" + systemd.Status("timetravel-track") + Log());

            string Snapshot()
            {
                systemd.Try("systemctl start timetravel-snapshot");
                Assert.True(systemd.Output("systemctl show -p Result --value timetravel-snapshot").Trim() == "success",
                    systemd.Status("timetravel-snapshot"));
                var last = System.Text.Json.JsonDocument.Parse(TimeTravelCli.Run(store, "list", "--json").Stdout).RootElement.EnumerateArray().Last();
                return last.GetRawText();
            }
            Snapshot();
            Snapshot();
            using (var h = File.OpenHandle(Path.Combine(source, "disk.img"), FileMode.Open, FileAccess.Write))
                RandomAccess.Write(h, new byte[100], 1 << 20);
            string ranged = Snapshot();
            Assert.Contains("changed files read by ranges", ranged);
            Assert.Contains("\"rangeFiles\":1", ranged.Replace(" ", ""));
        }
        finally
        {
            systemd.Try("systemctl stop timetravel-track");
            if (pins.Length > 0) global::TimeTravel.Kernel.Ranges.RangeMaps.DeletePins(pins);
        }
    }

    // The unit allows what a freeze needs (CAP_SYS_ADMIN, ioctl, starting the setsid/sh/fsfreeze watchdog): a
    // journal-driven snapshot of an ext4 source whose store lies on another filesystem reads it frozen.
    [Fact, NeedsRoot, NeedsFanotify]
    public void UnderItsUnitAJournalSnapshotOfAnExt4SourceReadsItFrozen()
    {
        using var fs = new Kernel.Support.ScratchFilesystem(256L << 20);
        using var scratch = new TempDir("tt-systemd");
        string store = scratch["store"], source = Path.Combine(fs.Root, "src"); // the store on another filesystem
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "f"), "1");
        Assert.Equal(0, TimeTravelCli.Run(store, "init", source).ExitCode);
        Directory.CreateDirectory(scratch["bin"]);
        File.WriteAllText(scratch["bin/timetravel"], "#!/bin/sh\nexec " + TimeTravelCli.ShellCommand + " \"$@\"\n");
        File.SetUnixFileMode(scratch["bin/timetravel"], (UnixFileMode)0x1ED);
        File.WriteAllText(scratch["default"], $"TIMETRAVEL_STORE={store}\n");

        using var systemd = PrivateSystemd.Boot(scratch.Path, Path.Combine(Repo, "kernel/timetravel-track.service"),
            Path.Combine(Repo, "cli/systemd/timetravel-snapshot.service"));
        try
        {
            foreach (var unit in new[] { "timetravel-track", "timetravel-snapshot" })
                systemd.Run($"mkdir -p /run/systemd/system/{unit}.service.d && " +
                    $"printf '[Service]\\nReadWritePaths={store}\\n' > /run/systemd/system/{unit}.service.d/store.conf");
            systemd.Run("systemctl daemon-reload && systemctl start timetravel-track");
            Assert.True(systemd.WaitFor($"test -s {store}/journal/id", 30), systemd.Status("timetravel-track"));
            string Snapshot()
            {
                systemd.Try("systemctl start timetravel-snapshot");
                Assert.True(systemd.Output("systemctl show -p Result --value timetravel-snapshot").Trim() == "success",
                    systemd.Status("timetravel-snapshot"));
                return System.Text.Json.JsonDocument.Parse(TimeTravelCli.Run(store, "list", "--json").Stdout).RootElement.EnumerateArray().Last()
                    .GetProperty("reason").GetString()!;
            }
            Snapshot();
            File.WriteAllText(Path.Combine(source, "f"), "2");
            string reason = Snapshot();
            Assert.Matches(@"; frozen \d+\.\d\d s$", reason);
        }
        finally
        {
            systemd.Try("systemctl stop timetravel-track");
            string idFile = Path.Combine(store, "journal", "id");
            if (File.Exists(idFile)) global::TimeTravel.Kernel.Ranges.RangeMaps.DeletePins(global::TimeTravel.Kernel.Ranges.RangePins.For(File.ReadAllText(idFile).Trim()));
        }
    }

    // Regression: the mount install.sh made died silently and did not come back. Under systemd the unit remounts a
    // killed daemon (clearing the dead mount it left) and leaves alone a mount the admin removed on purpose.
    [Fact, NeedsRoot, NeedsFuse]
    public void TheMountUnitRemountsAKilledDaemonAndStaysDownAfterUmount()
    {
        using var scratch = new TempDir("tt-systemd");
        string store = scratch["store"], source = scratch["src"], mp = scratch["mnt"];
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "hello\n");
        Assert.Equal(0, TimeTravelCli.Run(store, "init", source).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot", "--quiet").ExitCode);
        Directory.CreateDirectory(scratch["bin"]);
        File.WriteAllText(scratch["bin/timetravel"], "#!/bin/sh\nexec " + TimeTravelCli.ShellCommand + " \"$@\"\n");
        File.SetUnixFileMode(scratch["bin/timetravel"], (UnixFileMode)0x1ED);
        File.WriteAllText(scratch["default"], $"TIMETRAVEL_STORE={store}\nTIMETRAVEL_MOUNT={mp}\n");

        using var systemd = PrivateSystemd.Boot(scratch.Path, Path.Combine(Repo, "fs/timetravel-mount.service"));
        systemd.Run("systemctl start timetravel-mount");
        Assert.True(systemd.WaitFor($"ls {mp}/latest/ | grep -q .", 30), "the unit did not mount\n" + systemd.Status("timetravel-mount"));

        systemd.Run("kill -9 $(systemctl show -p MainPID --value timetravel-mount)");
        Assert.True(systemd.WaitFor($"[ $(systemctl show -p NRestarts --value timetravel-mount) = 1 ] && ls {mp}/latest/ | grep -q .", 30),
            "the killed daemon was not replaced\n" + systemd.Status("timetravel-mount"));

        systemd.Run($"timetravel umount {mp}");
        Assert.True(systemd.WaitFor("[ $(systemctl show -p ActiveState --value timetravel-mount) = inactive ]", 30),
            "the unit did not stop after umount\n" + systemd.Status("timetravel-mount"));
        Assert.Equal("success", systemd.Output("systemctl show -p Result --value timetravel-mount").Trim());
        Assert.False(systemd.WaitFor($"grep -q ' {mp} ' /proc/self/mountinfo", 2), "still mounted after umount");
    }

    /// <summary>systemd as PID 1 of a new PID and mount namespace; Dispose kills it, and with it everything inside.</summary>
    private sealed class PrivateSystemd : IDisposable
    {
        private readonly Process _unshare;
        private readonly int _pid;

        private PrivateSystemd(Process unshare, int pid) { _unshare = unshare; _pid = pid; }

        public static PrivateSystemd Boot(string scratch, params string[] units)
        {
            var psi = new ProcessStartInfo("unshare", ["--fork", "--pid", "--mount", "--mount-proc",
                Path.Combine(Repo, "tests/Install/boot-systemd.sh"), scratch, .. units]) { RedirectStandardError = true };
            var unshare = Process.Start(psi)!;
            int pid = 0;
            var clock = Stopwatch.StartNew();
            while (pid == 0 && clock.Elapsed < TimeSpan.FromSeconds(10) && !unshare.HasExited)
            {
                string children = File.Exists($"/proc/{unshare.Id}/task/{unshare.Id}/children")
                    ? File.ReadAllText($"/proc/{unshare.Id}/task/{unshare.Id}/children").Trim() : "";
                if (children.Length > 0) pid = int.Parse(children.Split(' ')[0]);
                else Thread.Sleep(50);
            }
            var booted = new PrivateSystemd(unshare, pid);
            if (pid == 0 || !booted.WaitFor("systemctl show -p Version >/dev/null", 20))
            {
                booted.Dispose();
                throw new InvalidOperationException("the private systemd did not start: " + (unshare.HasExited ? unshare.StandardError.ReadToEnd() : ""));
            }
            return booted;
        }

        public (int Code, string Out, string Err) Try(string command) =>
            Shell.Try("nsenter", "-t", _pid.ToString(), "-m", "-p", "/bin/bash", "-c", command);

        public void Run(string command)
        {
            var (code, output, err) = Try(command);
            if (code != 0) throw new InvalidOperationException($"`{command}` exited {code}: {output}{err}");
        }

        public string Output(string command) => Try(command).Out;

        public string Status(string unit) => Output($"systemctl --no-pager status {unit} 2>&1");

        public bool WaitFor(string condition, int seconds)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (Try(condition).Code == 0) return true;
                Thread.Sleep(100);
            }
            return false;
        }

        public void Dispose()
        {
            if (_pid > 0) TimeTravelCli.Signal(_pid, "KILL"); // PID 1 of the namespace: the kernel ends every process in it
            if (!_unshare.WaitForExit(10_000)) TimeTravelCli.Signal(_unshare.Id, "KILL");
            _unshare.WaitForExit();
            _unshare.Dispose();
        }
    }
}
