// The records a journal segment holds: changes, and the markers that say how far the changes can be trusted.
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

public abstract record JournalRecord
{
    /// <summary>A record of a tracker session's life: its start, a heartbeat, or its stop.</summary>
    public bool IsTrackerSession => this is TrackerStarted or Heartbeat or TrackerStopped;
}

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

/// <summary>
/// One source as a producer saw it: the path, a fingerprint of its exclude rules (see SourceFingerprint), and for a
/// tracker the source root's st_dev, st_ino and the fsid it marked (all 0 when unknown, as for imported logs).
/// </summary>
public sealed record WatchedSource(string Path, string Fingerprint, ulong Device, ulong Inode, ulong FsId);

/// <summary>
/// What a tracker session watches. Written after TrackerStarted and again at the start of every segment the session
/// writes to, so each interval names the sources (and root identities) its tracker vouched for, even after pruning.
/// </summary>
public sealed record Watching(DateTimeOffset Time, ulong Session, IReadOnlyList<WatchedSource> Sources) : JournalRecord;

/// <summary>
/// The tracker session does not journal writes to files on these filesystems (fanotify fsids): it runs without
/// FAN_MODIFY there (closes after writing are still journaled), and the range tracker with session <see cref="RangeSession"/> records them
/// instead (kernel/Ranges). Standing, like <see cref="Watching"/>: repeated at the start of every segment.
/// </summary>
public sealed record ContentByRanges(DateTimeOffset Time, ulong Session, ulong RangeSession, IReadOnlyList<ulong> FsIds) : JournalRecord;

/// <summary>
/// A run of `timetravel import-log`: written with <see cref="Finished"/> false before the first log is read, and
/// again with true (and <see cref="Complete"/> telling whether every file was read and every line well-formed) when
/// it ends. <see cref="Sources"/> are the sources (with exclude fingerprints) the imported paths were filtered by.
/// </summary>
public sealed record LogImported(DateTimeOffset Time, ulong Run, bool Finished, bool Complete, IReadOnlyList<string> Files,
    IReadOnlyList<WatchedSource> Sources) : JournalRecord;
