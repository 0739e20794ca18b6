// What the tracker watches: absolute source roots, what to leave out, and the store directory it must never report.
namespace TimeTravel.Kernel.Tracking;

public sealed class TrackerOptions
{
    /// <summary>Absolute source root paths.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Returns true for a path (absolute, bytes) that must not be reported.</summary>
    public Func<byte[], bool>? Exclude { get; init; }

    /// <summary>A directory whose changes are never reported (the store, which holds the journal itself).</summary>
    public string? IgnoreRoot { get; init; }

    /// <summary>
    /// Each source's exclude fingerprint (SourceFingerprint), by source path, recorded in the journal so a snapshot
    /// can tell whether the tracker filtered with the rules the catalog holds now.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Fingerprints { get; init; }

    /// <summary>
    /// Also record which byte ranges of files change, with eBPF (kernel/Ranges), so a snapshot reads only those. Off
    /// by default for library callers; `timetravel track` turns it on unless given --no-ranges.
    /// </summary>
    public bool TrackRanges { get; init; }

    /// <summary>Same sources, rules and store as <paramref name="other"/> (by fingerprint): no need to restart the watch.</summary>
    public bool SameWatchAs(TrackerOptions other) =>
        IgnoreRoot == other.IgnoreRoot
        && Sources.Order(StringComparer.Ordinal).SequenceEqual(other.Sources.Order(StringComparer.Ordinal))
        && Sources.All(s => (Fingerprints?.GetValueOrDefault(s) ?? "") == (other.Fingerprints?.GetValueOrDefault(s) ?? ""));
}
