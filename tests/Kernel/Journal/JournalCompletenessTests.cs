// When a change set may be trusted: only if one tracker ran, unbroken and unmarked, across the whole interval.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Journal;

public sealed class JournalCompletenessTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ChangeJournal Snapshotter() => ChangeJournal.Open(_dir.Path);

    private ChangeSet Read(long since, long until) => new JournalReader(_dir.Path).ReadBetween(since, until);

    private static List<string> Show(IEnumerable<byte[]> paths) => paths.Select(p => PathBytes.Display(p)).Order().ToList();

    [Fact]
    public void AnIntervalCoveredByOneRunningTrackerIsComplete()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        tracker.Change(ChangeKind.Modified, "/src/a");
        long second = snap.Cut(Settle);

        var set = Read(first, second);
        Assert.True(set.Complete, set.WhyIncomplete);
        Assert.Equal(["/src/a"], Show(set.Changed));
    }

    [Fact]
    public void TheFirstIntervalIsNeverComplete()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        long first = Snapshotter().Cut(Settle);
        var set = Read(0, first);
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
    }

    [Fact]
    public void ATrackerCrashThatNobodyRestartedLeavesTheNextCutUnconfirmed()
    {
        var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        tracker.Crash();
        long second = snap.Cut(TimeSpan.FromMilliseconds(300));

        var set = Read(first, second);
        Assert.False(set.Complete);
        Assert.Contains("confirmed", set.WhyIncomplete);
    }

    [Fact]
    public void ATrackerThatCrashedAndRestartedInsideTheIntervalMakesItIncomplete()
    {
        var crashed = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        crashed.Crash();
        using var restarted = new SimulatedTracker(_dir.Path);
        long second = snap.Cut(Settle);

        var set = Read(first, second);
        Assert.False(set.Complete);
        Assert.Contains("started", set.WhyIncomplete);

        long third = snap.Cut(Settle);
        Assert.True(Read(second, third).Complete, Read(second, third).WhyIncomplete);
    }

    [Fact]
    public void ACleanTrackerStopInsideTheIntervalMakesItIncomplete()
    {
        var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        tracker.StopCleanly();
        long second = snap.Cut(TimeSpan.FromMilliseconds(300));
        Assert.Contains("stopped", Read(first, second).WhyIncomplete);
    }

    [Fact]
    public void AnIncompleteMarkerForOneSourceAsksForAFullWalkOfThatSourceOnly()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        tracker.Journal.Incomplete("/mnt/fuse", "cannot mark");
        long second = snap.Cut(Settle);

        var set = Read(first, second);
        Assert.False(set.Complete);
        Assert.False(set.AllSourcesIncomplete);
        Assert.True(set.NeedsFullWalk("/mnt/fuse/"));
        Assert.False(set.NeedsFullWalk("/src"));
    }

    [Fact]
    public void AStandingIncompleteIsRepeatedAfterEveryCut()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        tracker.Journal.AddStandingIncomplete("/mnt/fuse", "FUSE cannot be marked");
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        long second = snap.Cut(Settle);
        long third = snap.Cut(Settle);
        Assert.True(Read(second, third).NeedsFullWalk("/mnt/fuse"));
    }

    [Fact]
    public void ARenamedDirectoryCountsAsBothPathsAndItsTargetIsWalked()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        tracker.Change(ChangeKind.Renamed, "/src/old", "/src/new", isDirectory: true);
        tracker.Change(ChangeKind.Removed, "/src/gone", isDirectory: true);
        long second = snap.Cut(Settle);

        var set = Read(first, second);
        Assert.Equal(["/src/gone", "/src/new", "/src/old"], Show(set.Changed));
        Assert.Equal(["/src/new"], Show(set.Subtrees));
    }

    [Fact]
    public void PrunedIntervalsReadAsIncomplete()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        long second = snap.Cut(Settle);
        snap.Prune(second);
        Assert.Contains("missing", Read(first, second).WhyIncomplete);
    }
}
