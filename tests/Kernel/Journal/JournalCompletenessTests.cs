// When a change set may be trusted: only if one tracker ran, unbroken and unmarked, across the whole interval.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Journal;

[NeedsRoot]
[NeedsFanotify]
public sealed class JournalCompletenessTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDir _dir = new();

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

    private static FileStatus Root(ulong dev, ulong ino) => new(dev, ino, 2, 0x41ED, 0, 0, 0, 4096, 8, 0, 0, 0);

    // Regression: after `rm -rf STORE/journal` the new journal cuts from 1 while the previous snapshot recorded cut 3;
    // reading "cut 3 to cut 1" threw ArgumentException, which the CLI reported as an internal error.
    [Fact]
    public void AnIntervalEndingBeforeItBeginsIsAResetJournalNotAnError()
    {
        using var snap = Snapshotter();
        long first = snap.Cut(TimeSpan.Zero);
        var set = Read(first + 2, first);
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
        Assert.Contains("journal was reset", set.WhyIncomplete);
    }

    [Fact]
    public void AJournalKeepsItsIdAndAJournalMadeAgainGetsANewOne()
    {
        string id = Snapshotter().Id;
        Assert.Equal(id, Snapshotter().Id);
        Directory.Delete(_dir.Path, recursive: true);
        Assert.NotEqual(id, Snapshotter().Id);
    }

    [Fact]
    public void AWriterRefusesToAppendToAJournalThatWasDeletedAndMadeAgain()
    {
        var writer = Snapshotter();
        Directory.Delete(_dir.Path, recursive: true);
        var fresh = Snapshotter();
        writer.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/src/a")));
        Assert.Throws<IOException>(writer.Flush);
        Assert.DoesNotContain(new JournalReader(_dir.Path).ReadAllSegments().SelectMany(s => s.Records), r => r is ChangeEntry);
    }

    // The tracker's Watching record outlives pruning (it is repeated in every segment) and tells the snapshot which
    // sources, exclude rules and root directories the tracker vouched for.
    [Fact]
    public void TheTrackersWatchingRecordTellsWhichSourcesRulesAndRootsItCovered()
    {
        using var tracker = new SimulatedTracker(_dir.Path, watching: [new WatchedSource("/src", "rules-1", 7, 42, 99)]);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        long second = snap.Cut(Settle);
        snap.Prune(first);   // the segment holding TrackerStarted is gone

        var set = Read(first, second);
        Assert.True(set.Complete, set.WhyIncomplete);
        Assert.Equal("tracker", set.Coverage!.By);
        Assert.Null(set.SourceProblem("/src", "rules-1", Root(7, 42)));
        Assert.Contains("not watched", set.SourceProblem("/src2", "rules-1", Root(7, 42)));
        Assert.Contains("exclude rules changed", set.SourceProblem("/src", "rules-2", Root(7, 42)));
        Assert.Contains("source root changed", set.SourceProblem("/src", "rules-1", Root(7, 43)));   // replaced
        Assert.Contains("source root changed", set.SourceProblem("/src", "rules-1", Root(8, 42)));   // mounted over
        Assert.Contains("source root changed", set.SourceProblem("/src", "rules-1", null));          // gone
    }

    [Fact]
    public void ATrackerThatRecordedNoWatchingRecordCoversNoSource()
    {
        using var tracker = new SimulatedTracker(_dir.Path);
        using var snap = Snapshotter();
        long first = snap.Cut(Settle);
        long second = snap.Cut(Settle);
        Assert.NotNull(Read(first, second).SourceProblem("/src", "rules-1", Root(7, 42)));
    }

    [Fact]
    public void WithoutATrackerOrAnImportTheIntervalIsIncomplete()
    {
        using var snap = Snapshotter();
        long first = snap.Cut(TimeSpan.Zero);
        snap.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/src/a")));
        long second = snap.Cut(TimeSpan.Zero);
        var set = Read(first, second);
        Assert.False(set.Complete);
        Assert.Contains("no FastVPS log was imported", set.WhyIncomplete);
    }
}
