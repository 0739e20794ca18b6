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
}
