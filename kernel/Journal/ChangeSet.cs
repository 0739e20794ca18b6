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

    /// <summary>The reasons the set is incomplete, summarised (see ReasonSummary); null when complete.</summary>
    public string? WhyIncomplete => Problems.Count == 0 ? null : Planning.ReasonSummary.Summarise(Problems);

    /// <summary>Every reason the set is incomplete, one entry per problem found.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

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

    /// <summary>Who vouches for the interval and for which sources; null when nobody recorded it.</summary>
    public Coverage? Coverage { get; init; }

    /// <summary>True when the snapshot must walk <paramref name="sourceRoot"/> completely instead of using this set.</summary>
    public bool NeedsFullWalk(string sourceRoot) =>
        AllSourcesIncomplete || IncompleteSources.Contains(PathBytes.Normalize(sourceRoot));

    /// <summary>
    /// Why the changes of a source, as the catalog now describes it, are not covered by this set: the tracker (or the
    /// imports) did not watch it, watched it with other exclude rules, or (tracker) watched another directory at its
    /// path: the root was replaced, or a filesystem was mounted on it. Null when covered.
    /// </summary>
    /// <param name="fingerprint">The source's current SourceFingerprint.</param>
    /// <param name="root">lstat of the source root now, or null when it cannot be read.</param>
    public string? SourceProblem(string source, string fingerprint, FileStatus? root)
    {
        if (Coverage is null) return "nothing in the journal says which sources were watched";
        string path = PathBytes.Normalize(source);
        var watched = Coverage.Sources.FirstOrDefault(w => PathBytes.Normalize(w.Path) == path);
        if (watched is null) return $"{source}: not watched by the {Coverage.By} (added after it started?)";
        if (watched.Fingerprint != fingerprint) return $"{source}: its exclude rules changed since the {Coverage.By} started";
        if (Coverage.RootsRecorded && (root is not { } st || st.Device != watched.Device || st.Inode != watched.Inode))
            return $"{source}: source root changed since the tracker started (replaced, moved, or a filesystem mounted on it)";
        return null;
    }
}

/// <param name="By">"tracker", or "FastVPS log import (N files)".</param>
/// <param name="Sources">The sources it watched, with their exclude fingerprints (and, for a tracker, root identities).</param>
/// <param name="RootsRecorded">True when <see cref="WatchedSource.Device"/> and Inode are meaningful (a tracker).</param>
public sealed record Coverage(string By, IReadOnlyList<WatchedSource> Sources, bool RootsRecorded)
{
    /// <summary>The range tracker session writes were left to (ContentByRanges), 0 when none.</summary>
    public ulong RangeSession { get; init; }

    /// <summary>The filesystems (fsids) whose writes the tracker did not journal but left to the range tracker.</summary>
    public IReadOnlySet<ulong> RangeFsIds { get; init; } = new HashSet<ulong>();

    /// <summary>True when writes under <paramref name="source"/> are in the range tracker's record, not the journal.</summary>
    public bool WritesLeftToRanges(string source) =>
        RangeFsIds.Count > 0 && Sources.FirstOrDefault(w => PathBytes.Normalize(w.Path) == PathBytes.Normalize(source)) is { } w && RangeFsIds.Contains(w.FsId);
}
