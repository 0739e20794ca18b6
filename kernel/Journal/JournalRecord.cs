// The records a journal segment holds: changes, and the markers that say how far the changes can be trusted.
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

public abstract record JournalRecord;

/// <summary>A change to a path (or a rename pair).</summary>
public sealed record ChangeEntry(ChangeRecord Change) : JournalRecord;

/// <summary>A tracker session began watching these sources; from here on it reports every change under them.</summary>
public sealed record TrackerStarted(DateTimeOffset Time, ulong Session, IReadOnlyList<string> Sources) : JournalRecord;

/// <summary>A tracker session ended; <see cref="Clean"/> is false when it stopped because of an error.</summary>
public sealed record TrackerStopped(DateTimeOffset Time, ulong Session, bool Clean) : JournalRecord;

/// <summary>A tracker session is alive and has written everything it had read before this point.</summary>
public sealed record Heartbeat(DateTimeOffset Time, ulong Session) : JournalRecord;

/// <summary>Changes under <see cref="Source"/> (null: every source) may be missing from this segment.</summary>
public sealed record IncompleteMarker(DateTimeOffset Time, string? Source, string Reason) : JournalRecord;

/// <summary>A snapshot consumed everything before this point; always the last record of segment <see cref="CutId"/>.</summary>
public sealed record SnapshotCut(DateTimeOffset Time, long CutId) : JournalRecord;
