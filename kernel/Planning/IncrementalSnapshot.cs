// Takes a snapshot the way SnapshotPlanner decides: cuts the journal, plans, runs the SnapshotWriter over the journal's
// changes or over everything, and prunes the journal up to the previous snapshot's cut. A journal snapshot that meets
// a changed hard-linked file falls back to a walk (see HardLinkChangedException).
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Kernel.Planning;

public static class IncrementalSnapshot
{
    public static SnapshotResult Take(Repository repo, SnapshotOptions options, SnapshotPolicy policy, SnapshotProgress progress, Action<string> report)
    {
        var snapshots = repo.Catalog.Snapshots();
        var previous = snapshots.LastOrDefault();
        var journal = ChangeJournal.Open(repo.Layout.Journal);
        long cut = journal.Cut(TimeSpan.FromSeconds(5));
        options = options with { JournalCut = cut, JournalId = journal.Id };
        var sources = repo.Catalog.Sources().Select(s =>
            (s.Path, SourceFingerprint.Of(s, repo.Layout.Root), PosixFs.TryLStat(PathBytes.From(s.Path), out var st) ? st : (FileStatus?)null)).ToList();
        var reader = new JournalReader(repo.Layout.Journal);
        var plan = SnapshotPlanner.Plan(policy, new PlanInputs(snapshots, sources, journal.Id, cut, options.Time ?? DateTimeOffset.Now,
            (since, until) => reader.ReadBetween(since, until)));

        SnapshotResult result;
        if (plan is JournalPlan j)
        {
            var filter = new ChangeFilter(j.Changes.Changed, j.Changes.Subtrees, j.WalkedSources);
            try
            {
                result = new SnapshotWriter(repo, options with { Changes = filter, Method = "journal", MethodReason = plan.Reason }, progress, report).Run();
            }
            catch (HardLinkChangedException e)
            {
                result = Walk(repo, options, new WalkPlan(e.Message + "; walking for correct link counts"), progress, report);
            }
        }
        else result = Walk(repo, options, (WalkPlan)plan, progress, report);
        if (previous is { JournalCut: > 0 } && previous.JournalId == journal.Id) journal.Prune(previous.JournalCut);
        return result;
    }

    private static SnapshotResult Walk(Repository repo, SnapshotOptions options, WalkPlan plan, SnapshotProgress progress, Action<string> report) =>
        new SnapshotWriter(repo, options with { Changes = null, Method = "walk", MethodReason = plan.Reason }, progress, report).Run();
}
