// What changed between two snapshot cuts, in the form a snapshot consumes, and whether it can be trusted.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

public sealed class ChangeSet
{
    public required long SinceCut { get; init; }
    public required long UntilCut { get; init; }

    /// <summary>True when every change in the interval is listed; otherwise walk what <see cref="NeedsFullWalk"/> says.</summary>
    public bool Complete => WhyIncomplete is null;

    /// <summary>The reasons the set is incomplete, joined; null when complete.</summary>
    public string? WhyIncomplete { get; init; }

    /// <summary>True when the gap is not limited to particular sources (tracker gap, overflow, damage, no earlier cut).</summary>
    public bool AllSourcesIncomplete { get; init; }

    /// <summary>Source roots named by Incomplete markers.</summary>
    public required IReadOnlyCollection<string> IncompleteSources { get; init; }

    /// <summary>
    /// Every path whose entry may differ from the previous snapshot: both sides of a rename, removed paths (the
    /// snapshot finds them gone and drops the whole subtree), created, modified and re-attributed paths.
    /// </summary>
    public required IReadOnlyCollection<byte[]> Changed { get; init; }

    /// <summary>
    /// Paths that appeared (created, or a rename target). If one is a directory now, its whole subtree must be walked:
    /// a directory renamed into place brings children no event mentioned. A subset of <see cref="Changed"/>.
    /// </summary>
    public required IReadOnlyCollection<byte[]> Subtrees { get; init; }

    /// <summary>True when the snapshot must walk <paramref name="sourceRoot"/> completely instead of using this set.</summary>
    public bool NeedsFullWalk(string sourceRoot) =>
        AllSourcesIncomplete || IncompleteSources.Contains(PathBytes.Normalize(sourceRoot));
}
