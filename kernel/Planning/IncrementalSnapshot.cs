// Takes a snapshot the way SnapshotPlanner decides: cuts the journal, plans, runs the SnapshotWriter over the journal's
// changes or over everything, and prunes the journal up to the previous snapshot's cut. A journal snapshot that meets
// a changed hard-linked file falls back to a walk (see HardLinkChangedException). With a range tracker running,
// a journal snapshot also visits the files it found written, reads changed files by their ranges when the tracker
// vouches for the interval (RangeTracking), and every snapshot consumes the tracker's record once committed.
// The sources are read from a consistent view where ConsistentRead can give one (a frozen ext4 or xfs, a btrfs
// snapshot); the order of freeze, cut, flip and copy below is what makes that view agree with the journal.
using TimeTravel.Kernel.Consistency;
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Kernel.Planning;

public static class IncrementalSnapshot
{
    public static SnapshotResult Take(Repository repo, SnapshotOptions options, SnapshotPolicy policy, SnapshotProgress progress, Action<string> report)
    {
        var snapshots = repo.OwnSnapshots(); // the journal speaks of this host's files only
        var previous = snapshots.LastOrDefault();
        var journal = ChangeJournal.Open(repo.Layout.Journal);
        // 1. Freeze (ext4, xfs): the cut and the flip below then fall inside the frozen interval, so the journal and the
        //    range tracker name exactly what changed before the instant that is read.
        using var consistent = ConsistentRead.Begin(repo.Layout.Root, repo.Catalog.Sources().Select(s => s.Path).ToList(),
            policy.Consistency ?? ConsistencyPolicy.Default, journalPlanned: previous is not null && !policy.ForceWalk && journal.TrackerRunning(), report);
        long cut = journal.Cut(TimeSpan.FromSeconds(5));
        options = options with { JournalCut = cut, JournalId = journal.Id };
        var sources = repo.Catalog.Sources().Select(s =>
            (s.Path, SourceFingerprint.Of(s, repo.Layout.Root), PosixFs.TryLStat(PathBytes.From(s.Path), out var st) ? st : (FileStatus?)null)).ToList();
        var reader = new JournalReader(repo.Layout.Journal);
        // 2. Flip. Taken even with --no-ranges: the journal may have left writes to the range tracker's record.
        using var ranges = RangeTracking.Begin(repo.Layout.Journal, journal.Id, previous?.Id ?? 0, sources.Select(s => s.Path).ToList(), out string whyNoRanges);
        // 3. btrfs snapshots, after the flip, then a second cut: the changes journaled up to it are all visited (those
        //    before the copy are in it), while the snapshot records the first cut, so the next one visits those after it
        //    again, among them any the copy missed.
        consistent.MakeCopies();
        long readUntil = consistent.Views.Count > 0 ? journal.Cut(TimeSpan.FromSeconds(5)) : cut;
        options = options with { Views = consistent.Views, ReadFinished = consistent.Finish };
        var plan = SnapshotPlanner.Plan(policy, new PlanInputs(snapshots, sources, journal.Id, cut, options.Time ?? DateTimeOffset.Now,
            (since, _) => reader.ReadBetween(since, readUntil), ranges is null ? null : ranges.ProblemFor));
        // Ranges are not read from a btrfs snapshot: the tracker's record is of the live files, and a write between its
        // flip and the copy would be in neither this record nor the ranges read.
        bool readRanges = policy.UseRanges && ranges is { Continuous: true } && consistent.Views.Count == 0;

        SnapshotResult result;
        if (plan is JournalPlan j)
        {
            var changed = j.Changes.Changed.Concat(ranges?.WrittenPaths ?? []).ToList();
            var walked = j.WalkedSources.Concat(ranges?.Unresolved.Select(u => u.Source) ?? []).Distinct().ToList();
            var filter = new ChangeFilter(changed, j.Changes.Subtrees, walked);
            consistent.KeepFrozenIfWithin(changed, j.Changes.Subtrees, walked);
            string reason = plan.Reason
                + (ranges?.Unresolved.Count > 0 ? $"; walked: {ReasonSummary.Summarise(ranges.Unresolved.Select(u => $"{u.Source}: {u.Why}").ToList())}" : "")
                + (readRanges ? "; changed files read by ranges"
                    : $"; changed files read whole: {(!policy.UseRanges ? "--no-ranges" : consistent.Views.Count > 0 && ranges is { Continuous: true } ? "read from a btrfs snapshot" : ranges?.WhyNot ?? whyNoRanges)}");
            try
            {
                result = new SnapshotWriter(repo, options with
                {
                    Changes = filter, Method = "journal", MethodReason = reason, Ranges = readRanges ? ranges : null,
                }, progress, report).Run();
            }
            catch (HardLinkChangedException e)
            {
                consistent.Walking("a hard-linked file changed, so the snapshot walks");
                result = Walk(repo, options, new WalkPlan(e.Message + "; walking for correct link counts"), progress, report);
            }
        }
        else
        {
            consistent.Walking("a walk is not done frozen (its length is unbounded)");
            result = Walk(repo, options, (WalkPlan)plan, progress, report);
        }
        ranges?.Commit(result.Record.Id, walked: result.Record.Method == "walk");
        if (previous is { JournalCut: > 0 } && previous.JournalId == journal.Id) journal.Prune(previous.JournalCut);
        return result;
    }

    private static SnapshotResult Walk(Repository repo, SnapshotOptions options, WalkPlan plan, SnapshotProgress progress, Action<string> report) =>
        new SnapshotWriter(repo, options with { Changes = null, Method = "walk", MethodReason = plan.Reason }, progress, report).Run();
}
