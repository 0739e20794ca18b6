// Chooses how to take a snapshot: from the change journal when it can vouch for the interval since the previous
// snapshot (visiting only what changed), otherwise by a full walk, and says why. A full walk also happens once a
// day, because fanotify does not see writes through shared memory maps.
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class IncrementalSnapshot
{
    public static readonly TimeSpan FullWalkEvery = TimeSpan.FromDays(1);

    public static SnapshotResult Take(Repository repo, SnapshotOptions options, bool forceWalk, SnapshotProgress progress, Action<string> report)
    {
        var snapshots = repo.Catalog.Snapshots();
        var previous = snapshots.LastOrDefault();
        using var journal = ChangeJournal.Open(repo.Layout.Journal);
        long cut = journal.Cut(TimeSpan.FromSeconds(5));
        var sources = repo.Catalog.Sources().Select(s => s.Path).ToList();

        string? walkReason = null;
        ChangeSet? set = null;
        var lastWalk = snapshots.LastOrDefault(s => s.Method == "walk");
        if (forceWalk) walkReason = "--full";
        else if (previous is null) walkReason = "first snapshot";
        else if (previous.JournalCut <= 0) walkReason = "the previous snapshot recorded no journal position";
        else if (lastWalk is null || (options.Time ?? DateTimeOffset.Now) - lastWalk.Time > FullWalkEvery) walkReason = "daily full walk";
        else
        {
            set = new JournalReader(repo.Layout.Journal).ReadBetween(previous.JournalCut, cut);
            if (set.AllSourcesIncomplete || sources.All(set.NeedsFullWalk)) walkReason = $"journal incomplete: {set.WhyIncomplete}";
        }

        SnapshotResult result;
        if (walkReason is not null) result = Walk(repo, options, cut, walkReason, progress, report);
        else
        {
            var walked = sources.Where(set!.NeedsFullWalk).ToList();
            var filter = new ChangeFilter(set.Changed, set.Subtrees, walked);
            string reason = $"{set.Changed.Count} changed paths" + (walked.Count > 0 ? $"; walked {string.Join(", ", walked)}: {set.WhyIncomplete}" : "");
            try
            {
                result = new SnapshotWriter(repo, options with { Changes = filter, Method = "journal", MethodReason = reason, JournalCut = cut }, progress, report).Run();
            }
            catch (HardLinkChangedException e)
            {
                result = Walk(repo, options, cut, e.Message + "; walking for correct link counts", progress, report);
            }
        }
        if (previous is { JournalCut: > 0 }) journal.Prune(previous.JournalCut);
        return result;
    }

    private static SnapshotResult Walk(Repository repo, SnapshotOptions options, long cut, string reason, SnapshotProgress progress, Action<string> report) =>
        new SnapshotWriter(repo, options with { Changes = null, Method = "walk", MethodReason = reason, JournalCut = cut }, progress, report).Run();
}
