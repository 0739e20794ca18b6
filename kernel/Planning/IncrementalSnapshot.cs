// Takes a snapshot the way SnapshotPlanner decides: cuts the journal, plans, runs the SnapshotWriter over the journal's
// changes or over everything, and prunes the journal up to the previous snapshot's cut. A journal snapshot that meets
// a changed hard-linked file falls back to a walk (see HardLinkChangedException). With a range tracker running,
// a journal snapshot also visits the files it found written, reads changed files by their ranges when the tracker
// vouches for the interval (RangeTracking), and every snapshot consumes the tracker's record once committed.
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
        // Taken even with --no-ranges: the journal may have left writes to the range tracker's record.
        using var ranges = RangeTracking.Begin(repo.Layout.Journal, journal.Id, previous?.Id ?? 0, sources.Select(s => s.Path).ToList(), out string whyNoRanges);
        var plan = SnapshotPlanner.Plan(policy, new PlanInputs(snapshots, sources, journal.Id, cut, options.Time ?? DateTimeOffset.Now,
            (since, until) => reader.ReadBetween(since, until), ranges is null ? null : ranges.ProblemFor));
        bool readRanges = policy.UseRanges && ranges is { Continuous: true };

        SnapshotResult result;
        if (plan is JournalPlan j)
        {
            var changed = j.Changes.Changed.Concat(ranges?.WrittenPaths ?? []).ToList();
            var walked = j.WalkedSources.Concat(ranges?.Unresolved.Select(u => u.Source) ?? []).Distinct().ToList();
            var filter = new ChangeFilter(changed, j.Changes.Subtrees, walked);
            string reason = plan.Reason
                + (ranges?.Unresolved.Count > 0 ? $"; walked: {ReasonSummary.Summarise(ranges.Unresolved.Select(u => $"{u.Source}: {u.Why}").ToList())}" : "")
                + (readRanges ? "; changed files read by ranges"
                    : $"; changed files read whole: {(!policy.UseRanges ? "--no-ranges" : ranges?.WhyNot ?? whyNoRanges)}");
            try
            {
                result = new SnapshotWriter(repo, options with
                {
                    Changes = filter, Method = "journal", MethodReason = reason, Ranges = readRanges ? ranges : null,
                }, progress, report).Run();
            }
            catch (HardLinkChangedException e)
            {
                result = Walk(repo, options, new WalkPlan(e.Message + "; walking for correct link counts"), progress, report);
            }
        }
        else result = Walk(repo, options, (WalkPlan)plan, progress, report);
        ranges?.Commit(result.Record.Id, walked: result.Record.Method == "walk");
        if (previous is { JournalCut: > 0 } && previous.JournalId == journal.Id) journal.Prune(previous.JournalCut);
        return result;
    }

    private static SnapshotResult Walk(Repository repo, SnapshotOptions options, WalkPlan plan, SnapshotProgress progress, Action<string> report) =>
        new SnapshotWriter(repo, options with { Changes = null, Method = "walk", MethodReason = plan.Reason }, progress, report).Run();
}
