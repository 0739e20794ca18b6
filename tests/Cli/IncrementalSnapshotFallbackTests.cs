// When the journal cannot vouch for an interval, the next snapshot walks and says why: a tracker that stopped (cleanly
// or by a crash) and was restarted inside the interval, or a FastVPS log with a malformed line. The snapshot after
// that walk can use the journal again, and every snapshot still records the same tree a full walk does.
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
public sealed class IncrementalSnapshotFallbackTests
{
    private static IncrementalSnapshotSandbox Prepared(out TrackerProcess tracker)
    {
        var box = new IncrementalSnapshotSandbox();
        try
        {
            Directory.CreateDirectory(Path.Combine(box.Source, "a", "b"));
            File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "one");
            File.WriteAllText(Path.Combine(box.Source, "a", "b", "other.txt"), "two");
            box.Init();
            tracker = box.StartTracker();
            Assert.Equal("walk", box.Snapshot().Method);   // first snapshot
            File.AppendAllText(Path.Combine(box.Source, "a", "file.txt"), " more");
            var second = box.Snapshot();
            Assert.True(second.Method == "journal", $"with a tracker running throughout: {second.Method}: {second.Reason}");
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData("TERM")]   // clean stop: TrackerStopped lies in the interval
    [InlineData("KILL")]   // crash: no TrackerStopped, but the restart's TrackerStarted lies in the interval
    public void ATrackerStoppedAndRestartedInsideTheIntervalMakesTheNextSnapshotWalk(string signal)
    {
        using var box = Prepared(out var tracker);
        tracker.Stop(signal);
        File.WriteAllText(Path.Combine(box.Source, "a", "b", "other.txt"), "changed while nothing watched");
        File.WriteAllText(Path.Combine(box.Source, "unseen.txt"), "created while nothing watched");
        box.StartTracker();

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("tracker", walked.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(box.Snapshot(full: true).Root, walked.Root);

        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "three");
        var next = box.Snapshot();
        Assert.True(next.Method == "journal", $"after the walk the restarted tracker covers the interval: {next.Method}: {next.Reason}");
        Assert.Equal(box.Snapshot(full: true).Root, next.Root);
    }

    [Fact]
    public void ATrackerThatIsStoppedAndNotRestartedMakesTheNextSnapshotWalk()
    {
        using var box = Prepared(out var tracker);
        tracker.Stop("KILL");
        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "changed while nothing watched");
        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("tracker", walked.Reason, StringComparison.OrdinalIgnoreCase);
    }

    // Removing one name of a hard-linked file changes the link count of the other name, in a directory no event
    // names: the journal-based snapshot must still record what a walk records (or fall back to a walk).
    [Theory]
    [InlineData("rm")]
    [InlineData("rename-over")]
    public void RemovingOneNameOfAHardLinkedFileKeepsTheOtherNamesLinkCountRight(string how)
    {
        using var box = Prepared(out _);
        var kept = Path.Combine(box.Source, "a", "b", "other.txt");
        var second = Path.Combine(box.Source, "elsewhere", "second-name.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(second)!);
        Assert.Equal(0, link(kept, second));
        box.Snapshot();   // records nlink 2 for both names (walks: a hard-linked file changed)
        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "unrelated change");
        var quiet = box.Snapshot();
        Assert.True(quiet.Method == "journal", $"{quiet.Method}: {quiet.Reason}");

        if (how == "rm") File.Delete(second);
        else { File.WriteAllText(second + ".new", "replacement"); File.Move(second + ".new", second, overwrite: true); }
        var after = box.Snapshot();
        var full = box.Snapshot(full: true);
        Assert.True(after.Root == full.Root,
            $"{after.Method} ({after.Reason}) root {after.Root} != --full {full.Root}\n" +
            IncrementalSnapshotSandbox.Diff(box.ListRecursive(after.Name), box.ListRecursive(full.Name)));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int link(string existing, string newPath);

    [Fact]
    public void AMalformedFastVpsLogLineMakesTheNextSnapshotWalk()
    {
        using var box = Prepared(out _);
        var changed = Path.Combine(box.Source, "a", "file.txt");
        File.WriteAllText(changed, "changed, and logged");
        var log = Path.Combine(box.Base, "2026-01-01.log");
        File.WriteAllText(log, $"1 MOD {changed}\nthis line is not a FastVPS record\n");

        var import = box.Cli("import-log", log);
        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("malformed", import.Stdout + import.Stderr);

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("malformed", walked.Reason);
        Assert.Equal(box.Snapshot(full: true).Root, walked.Root);
    }
}
