// Chooses how to take a snapshot: from the change journal when it can vouch for the interval since the previous
// snapshot (visiting only what changed), otherwise by a full walk, and says why. A source the journal cannot vouch
// for (not watched, other exclude rules, its root replaced or mounted over, an Incomplete marker) is walked on its
// own. A full walk also happens when the last one is older than --full-walk-every (a day by default), because
// fanotify does not see writes through shared memory maps, nor chattr.
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

/// <param name="ForceWalk">`--full`.</param>
/// <param name="FullWalkEvery">Walk when the last walk is older than this (`--full-walk-every`).</param>
public sealed record SnapshotPlan(bool ForceWalk, TimeSpan FullWalkEvery)
{
    public static readonly TimeSpan DefaultFullWalkEvery = TimeSpan.FromDays(1);
}

public static class IncrementalSnapshot
{
    public static SnapshotResult Take(Repository repo, SnapshotOptions options, SnapshotPlan plan, SnapshotProgress progress, Action<string> report)
    {
        var snapshots = repo.Catalog.Snapshots();
        var previous = snapshots.LastOrDefault();
        var journal = ChangeJournal.Open(repo.Layout.Journal);
        long cut = journal.Cut(TimeSpan.FromSeconds(5));
        options = options with { JournalCut = cut, JournalId = journal.Id };
        var sources = repo.Catalog.Sources();

        string? walkReason = null;
        ChangeSet? set = null;
        var walked = new List<string>();
        var whyWalked = new List<string>();
        var lastWalk = snapshots.LastOrDefault(s => s.Method == "walk");
        bool sameJournal = previous is not null && previous.JournalId == journal.Id && previous.JournalCut > 0;
        if (plan.ForceWalk) walkReason = "--full";
        else if (previous is null) walkReason = "first snapshot";
        else if (previous.JournalCut <= 0) walkReason = "the previous snapshot recorded no journal position";
        else if (previous.JournalId is null) walkReason = "the previous snapshot recorded no journal id";
        else if (previous.JournalId != journal.Id) walkReason = "journal was reset (its id differs from the previous snapshot's)";
        else if (cut <= previous.JournalCut) walkReason = $"journal was reset (cut {cut} is not after the previous snapshot's cut {previous.JournalCut})";
        else if (lastWalk is null || (options.Time ?? DateTimeOffset.Now) - lastWalk.Time > plan.FullWalkEvery)
            walkReason = $"periodic full walk (the last walk is older than {Describe(plan.FullWalkEvery)})";
        else
        {
            set = new JournalReader(repo.Layout.Journal).ReadBetween(previous.JournalCut, cut);
            foreach (var source in sources)
            {
                if (set.NeedsFullWalk(source.Path)) { walked.Add(source.Path); continue; }
                var root = PosixFs.TryLStat(PathBytes.From(source.Path), out var st) ? st : (FileStatus?)null;
                var why = set.SourceProblem(source.Path, SourceFingerprint.Of(source, repo.Layout.Root), root);
                if (why is null) continue;
                walked.Add(source.Path);
                whyWalked.Add(why);
            }
            if (set.WhyIncomplete is not null) whyWalked.Insert(0, set.WhyIncomplete);
            if (walked.Count == sources.Count) walkReason = $"journal incomplete: {string.Join("; ", whyWalked)}";
        }

        SnapshotResult result;
        if (walkReason is not null) result = Walk(repo, options, walkReason, progress, report);
        else
        {
            var filter = new ChangeFilter(set!.Changed, set.Subtrees, walked);
            string by = set.Coverage!.By == "tracker" ? "" : $"{set.Coverage.By}: ";
            string reason = $"{by}{set.Changed.Count} changed paths" + (walked.Count > 0 ? $"; walked {string.Join(", ", walked)}: {string.Join("; ", whyWalked)}" : "");
            try
            {
                result = new SnapshotWriter(repo, options with { Changes = filter, Method = "journal", MethodReason = reason }, progress, report).Run();
            }
            catch (HardLinkChangedException e)
            {
                result = Walk(repo, options, e.Message + "; walking for correct link counts", progress, report);
            }
        }
        if (sameJournal) journal.Prune(previous!.JournalCut);
        return result;
    }

    private static SnapshotResult Walk(Repository repo, SnapshotOptions options, string reason, SnapshotProgress progress, Action<string> report) =>
        new SnapshotWriter(repo, options with { Changes = null, Method = "walk", MethodReason = reason }, progress, report).Run();

    private static string Describe(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays:0} day{(t.TotalDays == 1 ? "" : "s")}"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours:0} h"
        : $"{t.TotalMinutes:0.#} min";
}
