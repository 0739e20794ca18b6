// The tracker's fanotify queue is bounded: a tracker that does not read (stopped) loses events instead of letting the
// kernel queue grow without limit, records the overflow, and the next snapshot walks. And one store has one tracker.
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot, NeedsFanotify]
public sealed class IncrementalSnapshotTrackerQueueTests
{
    // Regression: with FAN_UNLIMITED_QUEUE, 300,000 events outside the sources with the tracker stopped grew kernel
    // memory by 117 MiB.
    [Fact]
    public void AStoppedTrackerWhoseQueueFillsRecordsAnOverflowAndTheNextSnapshotWalks()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out var tracker);
        box.Absorb();
        int limit = int.Parse(File.ReadAllText("/proc/sys/fs/fanotify/max_queued_events").Trim());
        var file = Path.Combine(box.Source, "a", "file.txt");
        var flood = Path.Combine(box.Base, "flood");
        Directory.CreateDirectory(flood);
        TimeTravelCli.Signal(tracker.Pid, "STOP");
        try
        {
            for (int i = 0; i < limit + 1000; i++) File.Create(Path.Combine(flood, i.ToString())).Dispose();
            File.WriteAllText(file, "changed while the queue was full");
        }
        finally { TimeTravelCli.Signal(tracker.Pid, "CONT"); }

        var s = box.Snapshot();
        Assert.True(s.Method == "walk", s.ToString());
        Assert.Contains("the fanotify queue overflowed", s.Reason);
        Assert.Equal("changed while the queue was full", box.ContentOf(s.Name, file));
    }

    [Fact]
    public void ASecondTrackerOnTheSameStoreIsRefusedNamingThePidOfTheFirst()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out var tracker);
        box.Absorb();
        var second = box.Cli("track");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains($"pid {tracker.Pid}", second.Stderr);
        Assert.Contains("tracker.lock", second.Stderr);

        // The refused one wrote nothing into the running one's journal.
        var file = Path.Combine(box.Source, "a", "file.txt");
        File.WriteAllText(file, "after the refusal");
        var s = box.Snapshot();
        Assert.True(s.Method == "journal", s.ToString());
        Assert.Equal("after the refusal", box.ContentOf(s.Name, file));
    }
}
