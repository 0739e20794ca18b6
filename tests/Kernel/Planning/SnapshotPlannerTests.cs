// How a snapshot is taken is decided by SnapshotPlanner from typed inputs: the catalog's snapshots, the sources, the
// journal's id and cut, and what the journal says changed. Pure: no store, no tracker.
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Planning;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Kernel.Planning;

public sealed class SnapshotPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SnapshotPolicy Daily = new(false, TimeSpan.FromDays(1));

    private static SnapshotRecord Snapshot(string method, TimeSpan ago, long cut = 3, string? journalId = "j1") => new()
    {
        Name = "s", Time = Now - ago, Sources = ["/srv"], Root = new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory },
        Stats = new SnapshotStats(), Method = method, JournalCut = cut, JournalId = journalId,
    };

    private static ChangeSet Changes(IReadOnlyList<string>? problems = null, string watched = "/srv") => new()
    {
        SinceCut = 3, UntilCut = 4, Problems = problems ?? [], AllSourcesIncomplete = problems is { Count: > 0 },
        IncompleteSources = [], Changed = ["/srv/a"u8.ToArray()], Subtrees = [],
        Coverage = new Coverage("tracker", [new WatchedSource(watched, "fp", 0, 0, 0)], RootsRecorded: false),
    };

    private static SnapshotPlan Plan(SnapshotPolicy policy, IReadOnlyList<SnapshotRecord> snapshots, ChangeSet? set = null, string journalId = "j1", long cut = 4) =>
        SnapshotPlanner.Plan(policy, new PlanInputs(snapshots, [("/srv", "fp", null)], journalId, cut, Now,
            (_, _) => set ?? throw new InvalidOperationException("the journal was read")));

    [Fact]
    public void TheFirstSnapshotAndFullWalk()
    {
        Assert.Equal("first snapshot", Assert.IsType<WalkPlan>(Plan(Daily, [])).Reason);
        Assert.Equal("--full", Assert.IsType<WalkPlan>(Plan(Daily with { ForceWalk = true }, [Snapshot("walk", TimeSpan.FromHours(1))])).Reason);
    }

    [Fact]
    public void AJournalWithAnotherIdOrAnEarlierCutIsNotRead()
    {
        var previous = Snapshot("walk", TimeSpan.FromHours(1));
        Assert.Contains("journal was reset", Assert.IsType<WalkPlan>(Plan(Daily, [previous], journalId: "j2")).Reason);
        Assert.Contains("cut 2 is not after", Assert.IsType<WalkPlan>(Plan(Daily, [previous], cut: 2)).Reason);
    }

    [Fact]
    public void ALastWalkOlderThanTheIntervalWalks()
    {
        var plan = Plan(Daily, [Snapshot("walk", TimeSpan.FromDays(2)), Snapshot("journal", TimeSpan.FromHours(1))]);
        Assert.Equal("periodic full walk (the last walk is older than 1 day)", Assert.IsType<WalkPlan>(plan).Reason);
    }

    [Fact]
    public void ACompleteJournalCoveringEverySourceIsUsed()
    {
        var plan = Assert.IsType<JournalPlan>(Plan(Daily, [Snapshot("walk", TimeSpan.FromHours(1))], Changes()));
        Assert.Empty(plan.WalkedSources);
        Assert.Equal("1 changed paths", plan.Reason);
    }

    [Fact]
    public void ASourceTheJournalDidNotWatchIsWalked()
    {
        var plan = Assert.IsType<WalkPlan>(Plan(Daily, [Snapshot("walk", TimeSpan.FromHours(1))], Changes(watched: "/other")));
        Assert.Equal("journal incomplete", plan.Cause);
        Assert.Contains("/srv: not watched by the tracker", plan.Reason);
    }

    [Fact]
    public void ThousandsOfProblemsMakeAShortReason()
    {
        var problems = Enumerable.Range(0, 5000).Select(i => $"/srv: a file with 2 hard links changed outside the sources or in an excluded path (/x/{i}); its other names may lie in a source").ToList();
        var plan = Assert.IsType<WalkPlan>(Plan(Daily, [Snapshot("walk", TimeSpan.FromHours(1))], Changes(problems)));
        Assert.True(plan.Reason.Length < 250, plan.Reason);
        Assert.Contains("and 4,997 more", plan.Reason);
    }

    // The tracker marked /srv's filesystem without write events: writes there are in the range tracker's record only.
    private static ChangeSet WritesLeftToRanges(ulong rangeSession) => new()
    {
        SinceCut = 3, UntilCut = 4, Problems = [], IncompleteSources = [], Changed = ["/srv/a"u8.ToArray()], Subtrees = [],
        Coverage = new Coverage("tracker", [new WatchedSource("/srv", "fp", 0, 0, 77)], RootsRecorded: false)
        {
            RangeSession = rangeSession, RangeFsIds = new HashSet<ulong> { 77 },
        },
    };

    private static SnapshotPlan PlanWithRanges(ChangeSet set, Func<ulong, string?>? rangeProblem) =>
        SnapshotPlanner.Plan(Daily, new PlanInputs([Snapshot("walk", TimeSpan.FromHours(1))], [("/srv", "fp", null)], "j1", 4, Now,
            (_, _) => set, rangeProblem));

    [Fact]
    public void WritesLeftToTheRangeTrackerAreTrustedOnlyWhenItVouchesForTheInterval()
    {
        Assert.IsType<JournalPlan>(PlanWithRanges(WritesLeftToRanges(5), s => s == 5 ? null : "another session"));
        // The only source walks: the whole snapshot is a walk, saying why.
        var restarted = Assert.IsType<WalkPlan>(PlanWithRanges(WritesLeftToRanges(5), _ => "the range tracker restarted"));
        Assert.Contains("left to the range tracker, which cannot vouch for them: the range tracker restarted", restarted.Reason);
        var none = Assert.IsType<WalkPlan>(PlanWithRanges(WritesLeftToRanges(5), null));
        Assert.Contains("no range tracker is running", none.Reason);
    }
}
