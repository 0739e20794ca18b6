// How the next snapshot is taken, decided before it starts (see SnapshotPlanner): from the change journal, visiting
// only what changed and walking the sources the journal cannot vouch for, or by a full walk; each says why.
using TimeTravel.Kernel.Journal;

namespace TimeTravel.Kernel.Planning;

/// <param name="ForceWalk">`--full`.</param>
/// <param name="FullWalkEvery">Walk when the last walk is older than this (`--full-walk-every`).</param>
/// <param name="UseRanges">Read changed files by the range tracker's ranges when it can vouch for them (`--no-ranges`: never).</param>
/// <param name="Consistency">How consistent a read to take (`--consistent`, `--freeze-limit`); null: the default (auto, 2 s).</param>
public sealed record SnapshotPolicy(bool ForceWalk, TimeSpan FullWalkEvery, bool UseRanges = true, Consistency.ConsistencyPolicy? Consistency = null)
{
    public static readonly TimeSpan DefaultFullWalkEvery = TimeSpan.FromDays(1);
}

public abstract record SnapshotPlan
{
    /// <summary>Why, in a line for the catalog and the user: the reasons summarised (see ReasonSummary).</summary>
    public abstract string Reason { get; }
}

/// <param name="Cause">"--full", "first snapshot", "journal incomplete", ...</param>
/// <param name="Details">What made the journal unusable, one entry per problem (summarised in <see cref="Reason"/>).</param>
public sealed record WalkPlan(string Cause, IReadOnlyList<string> Details) : SnapshotPlan
{
    public WalkPlan(string cause) : this(cause, []) { }
    public override string Reason => Details.Count == 0 ? Cause : $"{Cause}: {ReasonSummary.Summarise(Details)}";
}

/// <param name="Changes">What the journal says changed since the previous snapshot.</param>
/// <param name="WalkedSources">Sources walked in full all the same.</param>
/// <param name="WhyWalked">Why they are (one entry per problem).</param>
public sealed record JournalPlan(ChangeSet Changes, IReadOnlyList<string> WalkedSources, IReadOnlyList<string> WhyWalked) : SnapshotPlan
{
    public override string Reason
    {
        get
        {
            string by = Changes.Coverage!.By == "tracker" ? "" : $"{Changes.Coverage.By}: ";
            return $"{by}{Changes.Changed.Count} changed paths"
                + (WalkedSources.Count > 0 ? $"; walked {string.Join(", ", WalkedSources)}: {ReasonSummary.Summarise(WhyWalked)}" : "");
        }
    }
}
