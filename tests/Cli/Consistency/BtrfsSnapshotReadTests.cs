// btrfs sources read from a read-only snapshot of their subvolume, end to end: the lockstep pair in every snapshot,
// hard links that keep their ids (no change reported), a nested subvolume recorded as the live tree shows it, and the
// copy deleted after each snapshot, a leftover of a killed run by the next.
using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Cli.Consistency;

public sealed class BtrfsSnapshotReadTests(ITestOutputHelper output)
{
    private static string Copies(ConsistencySandbox box) => Path.Combine(box.Mount, ".timetravel-consistent");

    private static List<string> Subvolumes(ConsistencySandbox box) =>
        ConsistencySandbox.Run("btrfs", "subvolume", "list", "-o", box.Mount).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    // Between a and b in path order, more big files than the snapshot has readers: b is read only once one of them is
    // done, tens of milliseconds after a, which a live read does not survive (see the next test). --reread reads them
    // every time.
    private static void SlowReader(ConsistencySandbox box)
    {
        var rng = new Random(5);
        var data = new byte[8 << 20];
        for (int i = 0; i < 2 * Math.Max(4, 2 * Environment.ProcessorCount); i++)
        {
            rng.NextBytes(data);
            File.WriteAllBytes(Path.Combine(box.Source, $"m{i:D2}"), data);
        }
    }

    [Theory, NeedsRoot, NeedsFanotify]
    [InlineData(false)]
    [InlineData(true)]
    public void EverySnapshotRecordsTheLockstepPairAsACrashWouldLeaveIt(bool tracker)
    {
        using var box = new ConsistencySandbox("btrfs");
        SlowReader(box);
        box.Init();
        if (tracker) box.StartTracker();
        // Synced writes: a btrfs snapshot is a crash's view, which keeps only synced writes in their order.
        using var writer = new LockstepWriter(Path.Combine(box.Source, "a"), Path.Combine(box.Source, "b"), sync: true);
        for (int i = 0; i < 6; i++)
        {
            var s = box.Snapshot(tracker ? [] : ["--reread"]);
            long a = long.Parse(box.ContentOf(s.Name, Path.Combine(box.Source, "a"))), b = long.Parse(box.ContentOf(s.Name, Path.Combine(box.Source, "b")));
            output.WriteLine($"{s.Method} a={a} b={b}: {s.Reason}");
            Assert.EndsWith("; point-in-time: btrfs snapshot", s.Reason);
            if (tracker && i > 0) Assert.Equal("journal", s.Method);
            Assert.True(LockstepWriter.Agree(a, b), $"{s.Name} holds a={a}, b={b}: {s.Reason}");
            Assert.Empty(Directory.GetFileSystemEntries(Copies(box)));
        }
        Assert.True(writer.Rounds > 20, $"the writer made only {writer.Rounds} rounds"); // synced writes on a loop device: tens a second
    }

    [Fact, NeedsRoot]
    public void ReadLiveTheSameCheckFindsATornPair()
    {
        using var box = new ConsistencySandbox("btrfs");
        SlowReader(box);
        box.Init();
        using var writer = new LockstepWriter(Path.Combine(box.Source, "a"), Path.Combine(box.Source, "b"), sync: true);
        var seen = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            var s = box.Snapshot("--consistent", "off", "--reread");
            long a = long.Parse(box.ContentOf(s.Name, Path.Combine(box.Source, "a"))), b = long.Parse(box.ContentOf(s.Name, Path.Combine(box.Source, "b")));
            seen.Add($"a={a} b={b}");
            if (!LockstepWriter.Agree(a, b)) return;
        }
        Assert.Fail("10 live snapshots all held an agreeing pair: " + string.Join(", ", seen));
    }

    [Fact, NeedsRoot]
    public void HardLinkedFilesAreNotReportedChangedByTheNextSnapshot()
    {
        using var box = new ConsistencySandbox("btrfs");
        File.WriteAllText(Path.Combine(box.Source, "one"), "linked");
        File.CreateSymbolicLink(Path.Combine(box.Source, "sym"), "one");
        ConsistencySandbox.Run("ln", Path.Combine(box.Source, "one"), Path.Combine(box.Source, "two"));
        box.Init();
        var first = box.Snapshot();
        var second = box.Snapshot();
        Assert.EndsWith("point-in-time: btrfs snapshot", second.Reason);
        var diff = box.Cli("diff", first.Name, second.Name, box.Source);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.DoesNotContain("one", diff.Stdout);
        Assert.DoesNotContain("two", diff.Stdout);
        Assert.Equal("", diff.Stdout.Trim()); // below the source: the directories on the way to it (/var/tmp) change with other tests
    }

    // A journal-driven snapshot that meets a changed hard-linked file walks instead: from the same copy.
    [Fact, NeedsRoot, NeedsFanotify]
    public void AJournalSnapshotThatFallsBackToAWalkReadsTheSameCopy()
    {
        using var box = new ConsistencySandbox("btrfs");
        File.WriteAllText(Path.Combine(box.Source, "one"), "linked");
        ConsistencySandbox.Run("ln", Path.Combine(box.Source, "one"), Path.Combine(box.Source, "two"));
        box.Init();
        box.StartTracker();
        box.Snapshot();
        File.WriteAllText(Path.Combine(box.Source, "one"), "changed");
        var s = box.Snapshot();
        output.WriteLine(s.ToString());
        Assert.Equal("walk", s.Method);
        Assert.Contains("hard-linked file changed", s.Reason);
        Assert.EndsWith("; point-in-time: btrfs snapshot", s.Reason);
        Assert.Equal("changed", box.ContentOf(s.Name, Path.Combine(box.Source, "two")));
        Assert.Empty(Directory.GetFileSystemEntries(Copies(box)));
    }

    // The source is the subvolume's root, so the copies are made inside it.
    [Fact, NeedsRoot, NeedsFanotify]
    public void CopiesMadeInsideTheSourceAreNeitherRecordedNorJournaled()
    {
        using var box = new ConsistencySandbox("btrfs", sourceBelowMount: "");
        File.WriteAllText(Path.Combine(box.Source, "f"), "1");
        box.Init();
        box.StartTracker();
        var first = box.Snapshot();
        // Each later one records no change in the source; the journal vouches for them (a loaded machine may delay
        // the tracker's confirmation of one cut, which makes that snapshot walk: hence several). Only the source is
        // compared: the directories on the way to it (/tmp) are recorded too, and other tests change /tmp.
        var later = Enumerable.Range(0, 4).Select(_ => box.Snapshot()).ToList();
        string all = string.Join("\n", later);
        output.WriteLine(all);
        Assert.All(later, s => Assert.True(s.Reason.EndsWith("; point-in-time: btrfs snapshot"), all));
        foreach (var (before, after) in later.Prepend(first).Zip(later))
        {
            var diff = box.Cli("diff", before.Name, after.Name, box.Source);
            Assert.True(diff.ExitCode == 0 && diff.Stdout.Trim() == "", $"{before.Name} -> {after.Name}:\n{diff}\n{all}");
        }
        Assert.True(later.Count(s => s.Method == "journal") >= 2, all);
        var third = later[^1];
        var ls = box.Cli("ls", "-R", third.Name, box.Source);
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("f", ls.Stdout);
        Assert.DoesNotContain(".timetravel-consistent", ls.Stdout);
    }

    [Fact, NeedsRoot]
    public void ANestedSubvolumeIsRecordedAsTheLiveTreeShowsIt()
    {
        using var box = new ConsistencySandbox("btrfs");
        ConsistencySandbox.Run("btrfs", "subvolume", "create", Path.Combine(box.Source, "nested"));
        File.WriteAllText(Path.Combine(box.Source, "nested", "inside"), "x");
        box.Init();
        var live = box.Snapshot("--consistent", "off");
        var r = box.Cli("snapshot", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("nested btrfs subvolume", r.Stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(r.StdoutBytes);
        var fromCopy = box.Cli("diff", live.Name, doc.RootElement.GetProperty("name").GetString()!, box.Source);
        Assert.True(fromCopy.ExitCode == 0, fromCopy.ToString());
        Assert.Equal("", fromCopy.Stdout.Trim());
    }

    [Fact, NeedsRoot]
    public void ACopyLeftByAKilledSnapshotIsDeletedByTheNext()
    {
        using var box = new ConsistencySandbox("btrfs");
        File.WriteAllText(Path.Combine(box.Source, "f"), "1");
        box.Init();
        box.Snapshot();
        // What a kill -9 between making the copy and deleting it leaves: this store's copy in place.
        string name = global::TimeTravel.Kernel.Consistency.BtrfsCopies.CopyName(box.Store);
        ConsistencySandbox.Run("btrfs", "subvolume", "snapshot", "-r", box.Mount, Path.Combine(Copies(box), name));
        Assert.Contains(Subvolumes(box), l => l.EndsWith(name));
        var r = box.Cli("snapshot", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("deleted a btrfs snapshot left by an interrupted snapshot", r.Stderr);
        Assert.DoesNotContain(Subvolumes(box), l => l.Contains(".timetravel-consistent"));
    }
}
