// ext4 (and xfs) sources read with their filesystem frozen, end to end: the real tracker (so the snapshots are
// journal-driven), a writer keeping two files in lockstep, and the checks that make a freeze safe: never the store's
// filesystem, and a kill -9 mid-freeze leaves the filesystem thawed by the watchdog within the limit.
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Cli.Consistency;

public sealed class FrozenSnapshotTests(ITestOutputHelper output)
{
    private static (long A, long B) Pair(ConsistencySandbox box, string snapshot) =>
        (long.Parse(box.ContentOf(snapshot, Path.Combine(box.Source, "a"))), long.Parse(box.ContentOf(snapshot, Path.Combine(box.Source, "b"))));

    [Theory, NeedsRoot, NeedsFanotify]
    [InlineData("ext4")]
    [InlineData("xfs")]
    public void EverySnapshotThatClaimsAFreezeRecordsTheLockstepPairAsACrashWouldLeaveIt(string fsType)
    {
        using var box = new ConsistencySandbox(fsType);
        box.Init();
        box.StartTracker();
        using var writer = new LockstepWriter(Path.Combine(box.Source, "a"), Path.Combine(box.Source, "b"));
        box.Snapshot(); // the first is a walk: never frozen
        int frozen = 0;
        for (int i = 0; i < 10; i++)
        {
            var s = box.Snapshot("--freeze-limit", "2s");
            var (a, b) = Pair(box, s.Name);
            output.WriteLine($"{s.Method} a={a} b={b}: {s.Reason}");
            Assert.Equal("journal", s.Method);
            if (!s.Reason.Contains("; frozen ")) continue;
            frozen++;
            Assert.True(LockstepWriter.Agree(a, b), $"{s.Name} claims a freeze but holds a={a}, b={b}: {s.Reason}");
        }
        Assert.True(frozen >= 8, $"only {frozen} of 10 snapshots were frozen");
        Assert.True(writer.Rounds > 1000, $"the writer made only {writer.Rounds} rounds");
    }

    // The same check can fail: read live, the pair is torn in some snapshot (a read between the writes of A and B of
    // a later round than the read of the other file).
    [Fact, NeedsRoot, NeedsFanotify]
    public void ReadLiveTheSameCheckFindsATornPair()
    {
        using var box = new ConsistencySandbox("ext4");
        box.Init();
        box.StartTracker();
        using var writer = new LockstepWriter(Path.Combine(box.Source, "a"), Path.Combine(box.Source, "b"));
        box.Snapshot();
        var seen = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            var s = box.Snapshot("--consistent", "off");
            Assert.Contains("not consistent: --consistent off", s.Reason);
            var (a, b) = Pair(box, s.Name);
            seen.Add($"a={a} b={b}");
            if (!LockstepWriter.Agree(a, b)) return;
        }
        Assert.Fail("30 live snapshots all held an agreeing pair: " + string.Join(", ", seen));
    }

    [Fact, NeedsRoot, NeedsFanotify]
    public void TheStoresFilesystemIsNeverFrozen()
    {
        using var box = new ConsistencySandbox("ext4");
        box.Store = Path.Combine(box.Mount, "store"); // on the source's own filesystem
        box.Init();
        File.WriteAllText(Path.Combine(box.Source, "f"), "1");
        box.StartTracker();
        box.Snapshot();
        File.WriteAllText(Path.Combine(box.Source, "f"), "2");
        var s = box.Snapshot();
        Assert.Equal("journal", s.Method);
        Assert.Contains("not consistent: not frozen: the store is on this filesystem", s.Reason);
    }

    // A read that outlasts the limit (here: the journal cut alone, with a 20 ms limit the two changed files fit) is
    // thawed by the timer, goes on unfrozen and says so; the next snapshot is taken normally.
    [Fact, NeedsRoot, NeedsFanotify]
    public void AFreezeThatReachesTheLimitIsThawedAndTheSnapshotSaysItIsNotConsistent()
    {
        using var box = new ConsistencySandbox("ext4");
        box.Init();
        box.StartTracker();
        File.WriteAllText(Path.Combine(box.Source, "a"), "1");
        box.Snapshot();
        for (int i = 0; ; i++)
        {
            File.WriteAllText(Path.Combine(box.Source, "a"), $"{i}");
            var s = box.Snapshot("--freeze-limit", "20ms");
            output.WriteLine(s.ToString());
            Assert.Equal("journal", s.Method);
            Assert.Equal($"{i}", box.ContentOf(s.Name, Path.Combine(box.Source, "a")));
            if (s.Reason.EndsWith("; not consistent: thawed at the 0.02 s freeze limit before the read was done")) break;
            Assert.True(i < 4, "in 5 snapshots the read never outlasted a 20 ms freeze: " + s.Reason);
        }
        File.WriteAllText(Path.Combine(box.Mount, "probe"), "thawed"); // would wait if it were still frozen
        Assert.Contains("; frozen ", box.Snapshot().Reason);
    }

    // kill -9 of the snapshot while the filesystem is frozen: the watchdog process thaws it within the limit.
    [Fact, NeedsRoot, NeedsFanotify]
    public void AKilledSnapshotLeavesTheFilesystemThawedWithinTheLimit()
    {
        using var box = new ConsistencySandbox("ext4");
        box.Init();
        box.StartTracker();
        string many = Path.Combine(box.Source, "many");
        Directory.CreateDirectory(many);
        box.Snapshot();
        for (int attempt = 0; ; attempt++)
        {
            // Enough changed files that the read takes a while, few enough to fit the limit's budget.
            for (int i = 0; i < 1500; i++) File.WriteAllText(Path.Combine(many, $"f{i}"), $"{attempt} {i}");
            var limit = TimeSpan.FromSeconds(3);
            using var p = Process.Start(box.CliStart("snapshot", "--freeze-limit", "3s"))!;
            p.StandardInput.Close();
            int? watchdog = WaitForWatchdog(p, box.Source, TimeSpan.FromSeconds(30));
            Assert.True(watchdog is not null || p.HasExited, "no thaw watchdog appeared and the snapshot did not end");
            if (watchdog is null) { p.WaitForExit(); Assert.Fail($"the snapshot never froze: {p.StandardError.ReadToEnd()}"); }
            var killedAt = Stopwatch.StartNew();
            Support.TimeTravelCli.Signal(p.Id, "KILL");
            p.WaitForExit();
            // A write to the filesystem now waits for the thaw.
            File.WriteAllText(Path.Combine(box.Mount, "probe"), "x");
            var waited = killedAt.Elapsed;
            output.WriteLine($"attempt {attempt}: the write after the kill waited {waited.TotalSeconds:0.00} s");
            Assert.True(waited < limit + TimeSpan.FromSeconds(1), $"the filesystem stayed frozen {waited.TotalSeconds:0.00} s after the kill");
            // The kill may land after the read thawed; what counts is a kill while frozen.
            if (waited > TimeSpan.FromSeconds(1)) return;
            Assert.True(attempt < 4, "in 5 attempts the kill never landed while the filesystem was frozen");
        }
    }

    // The thaw watchdog the snapshot `pid` started for `directory` (its argv names both), once it is running.
    private static int? WaitForWatchdog(Process snapshot, string directory, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !snapshot.HasExited)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                string cmdline;
                try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                var args = cmdline.Split('\0');
                if (args.Length > 6 && args[0] == "sh" && args[3] == "timetravel-thaw" && args[6] == directory) return pid;
            }
            Thread.Sleep(1);
        }
        return null;
    }
}
