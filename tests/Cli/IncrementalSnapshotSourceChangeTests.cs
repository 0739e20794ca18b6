// The sources themselves changing under a running tracker: a source root replaced, moved away and back, or mounted
// over; a source added or an exclude removed in the catalog; a source fanotify cannot mark. Each such source is walked
// (saying why) until the tracker watches it as it now is; the others keep using the journal.
using TimeTravel.Tests.Fs;
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFuse]
[NeedsFanotify]
public sealed class IncrementalSnapshotSourceChangeTests
{
    private static readonly TimeSpan Restart = TimeSpan.FromSeconds(20);

    private static void Run(string command)
    {
        using var p = System.Diagnostics.Process.Start("/bin/sh", ["-c", command]);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"`{command}` exited {p.ExitCode}");
    }

    // Regression: `cp -a src new; edit new/a/f; mv src old; mv new src` kept the old text in the journal snapshot.
    [Fact]
    public void ASourceRootReplacedByAnEditedCopyIsWalkedAndTheTrackerMovesToTheNewRoot()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out var tracker);
        var file = Path.Combine(box.Source, "a", "file.txt");
        Run($"cp -a '{box.Source}' '{box.Base}/new' && echo edited-in-the-copy > '{box.Base}/new/a/file.txt'" +
            $" && mv '{box.Source}' '{box.Base}/old' && mv '{box.Base}/new' '{box.Source}'");
        var s = box.Snapshot();
        Assert.True(s.Method == "walk", s.ToString());
        Assert.Contains("source root", s.Reason);
        Assert.Equal("edited-in-the-copy\n", box.ContentOf(s.Name, file));
        box.AssertSameAsFullWalk(s);

        tracker.WaitForLog("restarting the watch", 1, Restart);
        box.Absorb();   // the restart lies in this interval
        File.WriteAllText(file, "after the restart");
        var next = box.Snapshot();
        Assert.True(next.Method == "journal", next.ToString());
        Assert.Equal("after the restart", box.ContentOf(next.Name, file));
    }

    // Regression: `mv src away; edit away/d/f; mv away src` happened outside every source path and was missed.
    [Fact]
    public void ASourceRootMovedAwayEditedAndMovedBackIsWalked()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _);
        box.Absorb();
        var away = Path.Combine(box.Base, "away");
        Directory.Move(box.Source, away);
        File.WriteAllText(Path.Combine(away, "a", "b", "other.txt"), "edited while away");
        Directory.Move(away, box.Source);
        var s = box.Snapshot();
        Assert.True(s.Method == "walk", s.ToString());
        Assert.Contains("source root or an ancestor", s.Reason);
        Assert.Equal("edited while away", box.ContentOf(s.Name, Path.Combine(box.Source, "a", "b", "other.txt")));
    }

    // Regression (gap 4): a filesystem mounted on a source after the tracker started was never watched.
    [Fact]
    public void AFilesystemMountedOnTheSourceIsWalked()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _);
        box.Absorb();
        box.Mounts.Add(box.Source);
        Run($"mount -t tmpfs tt-incr-test '{box.Source}'");
        var file = Path.Combine(box.Source, "on-the-mount.txt");
        File.WriteAllText(file, "written to the new filesystem");
        var s = box.Snapshot();
        Assert.True(s.Method == "walk", s.ToString());
        Assert.True(s.Reason.Contains("source root changed") || s.Reason.Contains("tracker started"), s.ToString());
        Assert.Equal("written to the new filesystem", box.ContentOf(s.Name, file));
        box.AssertSameAsFullWalk(s);
    }

    // Regression: `timetravel init src2` while the tracker ran: changes in src2 were missed ("0 changed paths").
    [Fact]
    public void ASourceAddedWhileTheTrackerRunsIsWalkedUntilTheTrackerWatchesIt()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out var tracker);
        box.Absorb();
        var src2 = Path.Combine(box.Base, "src2");
        Directory.CreateDirectory(src2);
        var file = Path.Combine(src2, "f.txt");
        File.WriteAllText(file, "before");
        box.Init(src2);
        File.WriteAllText(file, "changed right after init");
        var s = box.Snapshot();
        // Either the tracker has not re-read the catalog yet (src2 is walked: "not watched") or it has (its restart
        // lies in the interval: everything is walked). Never "0 changed paths" with the old text.
        Assert.True(s.Reason.Contains("not watched") || s.Reason.Contains("tracker"), s.ToString());
        Assert.Equal("changed right after init", box.ContentOf(s.Name, file));

        tracker.WaitForLog("restarting the watch", 1, Restart);
        box.Absorb();
        File.WriteAllText(file, "watched now");
        var next = box.Snapshot();
        Assert.True(next.Method == "journal", next.ToString());
        Assert.Equal("watched now", box.ContentOf(next.Name, file));
        box.AssertSameAsFullWalk(next, box.Source, src2);
    }

    // Regression: removing an exclude while the tracker ran: the newly included files' changes were missed.
    [Fact]
    public void RemovingAnExcludeWhileTheTrackerRunsIsNotMissed()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out var tracker, "--exclude", "*.log");
        var log = Path.Combine(box.Source, "a", "x.log");
        File.WriteAllText(log, "excluded");
        box.Absorb();
        box.Init();   // the same source, recorded again without the exclude
        File.AppendAllText(log, ", now included");
        var s = box.Snapshot();
        Assert.True(s.Method == "walk", s.ToString());
        Assert.True(s.Reason.Contains("exclude rules changed") || s.Reason.Contains("tracker"), s.ToString());
        Assert.Equal("excluded, now included", box.ContentOf(s.Name, log));
        box.AssertSameAsFullWalk(s);
        tracker.WaitForLog("restarting the watch", 1, Restart);
    }

    // FUSE cannot be watched (no file handles here; marking gives ENODEV): that source is walked by every snapshot, and the others still use the journal.
    [Fact]
    public void ASourceOnAFilesystemFanotifyCannotMarkIsWalkedWhileTheOtherUsesTheJournal()
    {
        using var fuse = new TestMount(new MemoryFileSystem());
        using var box = new IncrementalSnapshotSandbox();
        File.WriteAllText(Path.Combine(box.Source, "f.txt"), "one");
        box.Init();
        box.Init(fuse.Path, "--exclude", "boom");   // its "boom" file fails every read
        var tracker = box.StartTracker();
        Assert.Contains($"not watching {fuse.Path}", tracker.Log);
        Assert.Equal("walk", box.Snapshot().Method);
        box.Absorb();

        File.WriteAllText(Path.Combine(box.Source, "f.txt"), "two");
        var s = box.Snapshot();
        Assert.True(s.Method == "journal", s.ToString());
        Assert.Contains($"walked {fuse.Path}", s.Reason);
        Assert.Equal("two", box.ContentOf(s.Name, Path.Combine(box.Source, "f.txt")));
        box.AssertSameAsFullWalk(s, box.Source, fuse.Path);
        tracker.Stop();
    }
}
