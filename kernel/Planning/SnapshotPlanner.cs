// Chooses how to take a snapshot: from the change journal when it can vouch for the interval since the previous
// snapshot (visiting only what changed), otherwise by a full walk, and says why. A source the journal cannot vouch
// for (not watched, other exclude rules, its root replaced or mounted over, an Incomplete marker) is walked on its
// own. A full walk also happens when the last one is older than --full-walk-every (a day by default), because
// fanotify does not see writes through shared memory maps, nor chattr. Pure: everything it looks at is passed in.
using TimeTravel.Kernel.Journal;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Planning;

/// <param name="Snapshots">The catalog's snapshots, oldest first.</param>
/// <param name="Sources">The sources, each with the exclude fingerprint it has now and the lstat of its root (null: unreadable).</param>
/// <param name="JournalId">The journal's id now.</param>
/// <param name="Cut">The cut just made for this snapshot.</param>
/// <param name="Now">The snapshot's time.</param>
/// <param name="ReadChanges">Reads the journal between two cuts (only called when the journal may be used).</param>
/// <param name="RangeProblem">
/// Given the range tracker session the journal left writes to, why that tracker cannot vouch for the interval, or null
/// when it can (see RangeTracking). Null: there is no range tracker.
/// </param>
public sealed record PlanInputs(
    IReadOnlyList<SnapshotRecord> Snapshots,
    IReadOnlyList<(string Path, string Fingerprint, FileStatus? Root)> Sources,
    string JournalId,
    long Cut,
    DateTimeOffset Now,
    Func<long, long, ChangeSet> ReadChanges,
    Func<ulong, string?>? RangeProblem = null);

public static class SnapshotPlanner
{
    public static SnapshotPlan Plan(SnapshotPolicy policy, PlanInputs inputs)
    {
        var previous = inputs.Snapshots.LastOrDefault();
        var lastWalk = inputs.Snapshots.LastOrDefault(s => s.Method == "walk");
        if (policy.ForceWalk) return new WalkPlan("--full");
        if (previous is null) return new WalkPlan("first snapshot");
        if (previous.JournalCut <= 0) return new WalkPlan("the previous snapshot recorded no journal position");
        if (previous.JournalId is null) return new WalkPlan("the previous snapshot recorded no journal id");
        if (previous.JournalId != inputs.JournalId) return new WalkPlan("journal was reset (its id differs from the previous snapshot's)");
        if (inputs.Cut <= previous.JournalCut)
            return new WalkPlan($"journal was reset (cut {inputs.Cut} is not after the previous snapshot's cut {previous.JournalCut})");
        if (lastWalk is null || inputs.Now - lastWalk.Time > policy.FullWalkEvery)
            return new WalkPlan($"periodic full walk (the last walk is older than {Describe(policy.FullWalkEvery)})");

        var set = inputs.ReadChanges(previous.JournalCut, inputs.Cut);
        var walked = new List<string>();
        var why = new List<string>(set.Problems);
        foreach (var (path, fingerprint, root) in inputs.Sources)
        {
            if (set.NeedsFullWalk(path)) { walked.Add(path); continue; }
            var problem = set.SourceProblem(path, fingerprint, root);
            if (problem is null && set.Coverage!.WritesLeftToRanges(path))
            {
                string? rangeProblem = inputs.RangeProblem is null ? "no range tracker is running" : inputs.RangeProblem(set.Coverage.RangeSession);
                if (rangeProblem is not null)
                    problem = $"{path}: writes on its filesystem were left to the range tracker, which cannot vouch for them: {rangeProblem}";
            }
            if (problem is null) continue;
            walked.Add(path);
            why.Add(problem);
        }
        if (walked.Count == inputs.Sources.Count) return new WalkPlan("journal incomplete", why);
        return new JournalPlan(set, walked, why);
    }

    private static string Describe(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays:0} day{(t.TotalDays == 1 ? "" : "s")}"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours:0} h"
        : $"{t.TotalMinutes:0.#} min";
}
