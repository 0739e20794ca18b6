// The durable, append-only change journal a tracker or importer writes and a snapshot cuts.
//
// Writes are buffered in memory and made durable by Flush (the tracker daemon calls it every second): under the
// journal lock it appends the buffered records to the current segment and fsyncs. Between cuts each path is written
// once: a path already written to the current segment is skipped (the snapshot only needs to know it changed, and
// re-examines it), and so is an Incomplete marker already written there. The set of what was written is cleared
// when the writer sees that a cut opened a new segment; that check happens under the lock, before deciding what to
// skip (nothing is skipped for having been written when it is buffered), so a change after a cut is never suppressed.
// A writer only ever appends to the journal it opened: if the journal's id changes under it (the directory was
// deleted and made again), Flush fails instead of writing a running session into a journal that never saw it start.
using TimeTravel.Store;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

public sealed class ChangeJournal : IChangeSink, IDisposable
{
    private readonly List<JournalRecord> _pending = [];
    private readonly HashSet<byte[]> _pendingKeys = new(PathBytes.EqualityComparer);
    private readonly HashSet<byte[]> _writtenKeys = new(PathBytes.EqualityComparer);
    private readonly List<JournalRecord> _standing = [];   // repeated at the start of every segment this writer writes to
    private readonly object _gate = new();
    private long _segment;            // the segment this writer last appended to
    private long _expectedLength = -1; // its length after our last append; -1 forces a tail check
    private ulong _session;           // non-zero while a tracker session runs through this writer
    private int _heartbeatsOwed;

    public string Directory { get; }

    /// <summary>The journal's random id, made with it; a snapshot records it beside its cut.</summary>
    public string Id { get; }

    private ChangeJournal(string directory, string id) { Directory = directory; Id = id; }

    /// <summary>Opens (creating if needed) the journal in <paramref name="directory"/>, e.g. STORE/journal.</summary>
    public static ChangeJournal Open(string directory)
    {
        StoreFiles.CreateDirectory(directory);
        using (JournalDirectory.Lock(directory))
        {
            if (JournalDirectory.Current(directory) == 0) CreateSegment(directory, 1);
            var id = JournalDirectory.ReadId(directory) ?? JournalDirectory.CreateId(directory);
            return new ChangeJournal(directory, id);
        }
    }

    /// <summary>Buffers a change (deduplicated per path until the next cut).</summary>
    public void Change(ChangeRecord change)
    {
        lock (_gate)
        {
            var key = DedupKey(change);
            // Buffered records go to the same segment, so a path buffered as new makes later changes redundant here;
            // what was already written is checked in Flush, after it has looked for a cut.
            if (AsNew(key) is { } asNew && _pendingKeys.Contains(asNew)) return;
            if (_pendingKeys.Add(key)) _pending.Add(new ChangeEntry(change));
        }
    }

    /// <summary>
    /// Buffers an Incomplete marker for <paramref name="source"/> (null: all sources); once per segment for the same
    /// source and reason, so a busy file that keeps tripping the same check does not grow the journal.
    /// </summary>
    public void Incomplete(string? source, string reason)
    {
        lock (_gate)
        {
            var marker = new IncompleteMarker(DateTimeOffset.UtcNow, source, reason);
            if (_pendingKeys.Add(MarkerKey(marker))) _pending.Add(marker);
        }
    }

    /// <summary>Marks a source as untracked for as long as this writer lives: the marker is repeated in every segment.</summary>
    public void AddStandingIncomplete(string? source, string reason)
    {
        var marker = new IncompleteMarker(DateTimeOffset.UtcNow, source, reason);
        lock (_gate) _standing.Add(marker);
        Buffer(marker);
    }

    /// <summary>Begins a tracker session; from now on Flush writes the heartbeats that confirm cuts.</summary>
    public void WriteTrackerStarted(IReadOnlyList<string> sources)
    {
        lock (_gate)
        {
            _session = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
            _pending.Add(new TrackerStarted(DateTimeOffset.UtcNow, _session, sources));
            _heartbeatsOwed = 2;
        }
    }

    /// <summary>Records what the running session watches; repeated at the start of every later segment.</summary>
    public void WriteWatching(IReadOnlyList<WatchedSource> sources)
    {
        lock (_gate)
        {
            var record = new Watching(DateTimeOffset.UtcNow, _session, sources);
            _standing.Add(record);
            _pending.Add(record);
        }
    }

    /// <summary>Records that writes on these filesystems are left to the range tracker; repeated like Watching.</summary>
    public void WriteContentByRanges(ulong rangeSession, IReadOnlyList<ulong> fsIds)
    {
        lock (_gate)
        {
            var record = new ContentByRanges(DateTimeOffset.UtcNow, _session, rangeSession, fsIds);
            _standing.Add(record);
            _pending.Add(record);
        }
    }

    /// <summary>Ends the session; its standing records (Watching, unwatched sources) are not repeated any more.</summary>
    public void WriteTrackerStopped(bool clean)
    {
        lock (_gate)
        {
            _pending.Add(new TrackerStopped(DateTimeOffset.UtcNow, _session, clean));
            _session = 0;
            _heartbeatsOwed = 0;
            _standing.Clear();
        }
    }

    /// <summary>Records the beginning or the end of a FastVPS log import (see <see cref="LogImported"/>).</summary>
    public void WriteImport(LogImported record) => Buffer(record);

    /// <summary>
    /// True while a tracker session owes heartbeats: a snapshot has cut the journal (or the session just began) and is
    /// waiting for the confirmation. The daemon then flushes at once instead of at its next interval.
    /// </summary>
    public bool CutPending
    {
        get
        {
            lock (_gate)
            {
                if (_session == 0) return false;
                return _heartbeatsOwed > 0 || File.Exists(JournalDirectory.SegmentPath(Directory, _segment + 1));
            }
        }
    }

    private void Buffer(JournalRecord record)
    {
        lock (_gate) _pending.Add(record);
    }

    /// <summary>Appends everything buffered to the current segment and fsyncs it.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_pending.Count == 0 && _heartbeatsOwed == 0 && _segment != 0
                && !File.Exists(JournalDirectory.SegmentPath(Directory, _segment + 1)))
                return;   // idle, and no cut to acknowledge

            using (JournalDirectory.Lock(Directory))
            {
                RequireSameJournal();
                long current = JournalDirectory.Current(Directory);
                if (current != _segment)
                {
                    _writtenKeys.Clear();
                    _expectedLength = -1;
                    if (_session != 0) _heartbeatsOwed = 2;
                    if (_segment != 0) _pending.InsertRange(0, _standing);
                    _segment = current;
                }

                var frames = new List<byte>();
                var newKeys = new HashSet<byte[]>(PathBytes.EqualityComparer);
                foreach (var record in _pending)
                {
                    if (DedupKey(record) is { } key)
                    {
                        // A path already journaled as new will be visited anyway: its later writes and chmods add nothing.
                        if (AsNew(key) is { } asNew && (_writtenKeys.Contains(asNew) || newKeys.Contains(asNew))) continue;
                        if (_writtenKeys.Contains(key) || !newKeys.Add(key)) continue;
                    }
                    JournalCodec.AppendFrame(frames, record);
                }
                bool heartbeat = _session != 0 && _heartbeatsOwed > 0;
                if (heartbeat) JournalCodec.AppendFrame(frames, new Heartbeat(DateTimeOffset.UtcNow, _session));
                _expectedLength = AppendToSegment(_segment, frames, _expectedLength);
                _writtenKeys.UnionWith(newKeys);   // only once durable: a failed append must not suppress a retry
                if (heartbeat) _heartbeatsOwed--;
                _pending.Clear();
                _pendingKeys.Clear();
            }
        }
    }

    /// <summary>
    /// Ends the current interval: flushes, appends SnapshotCut and opens the next segment. If a tracker is running,
    /// waits up to <paramref name="settle"/> for it to confirm the cut with two heartbeats, so every change it had
    /// already seen is in the journal; <see cref="JournalReader"/> reports the interval incomplete without them.
    /// </summary>
    /// <returns>The cut id; pass it to <see cref="JournalReader.ReadBetween"/> and keep it for the next snapshot.</returns>
    public long Cut(TimeSpan settle)
    {
        Flush();
        long cutId;
        bool trackerRunning;
        lock (_gate)
        {
            using (JournalDirectory.Lock(Directory))
            {
                RequireSameJournal();
                cutId = JournalDirectory.Current(Directory);
                trackerRunning = LastTrackerRecord(cutId) is TrackerStarted or Heartbeat;
                var frames = new List<byte>();
                JournalCodec.AppendFrame(frames, new SnapshotCut(DateTimeOffset.UtcNow, cutId));
                AppendToSegment(cutId, frames, _segment == cutId ? _expectedLength : -1);
                _expectedLength = -1;
                CreateSegment(Directory, cutId + 1);
            }
        }
        if (trackerRunning) WaitForConfirmation(cutId, settle);
        return cutId;
    }

    /// <summary>Does the newest tracker record say a tracker runs (started or beating, not stopped)?</summary>
    public bool TrackerRunning()
    {
        lock (_gate)
        {
            using (JournalDirectory.Lock(Directory)) return LastTrackerRecord(JournalDirectory.Current(Directory)) is TrackerStarted or Heartbeat;
        }
    }

    private void RequireSameJournal()
    {
        if (JournalDirectory.ReadId(Directory) != Id)
            throw new IOException($"{Directory}: the journal was deleted or replaced (its id is no longer {Id})");
    }

    /// <summary>The newest TrackerStarted, Heartbeat or TrackerStopped at or before segment <paramref name="segment"/>.</summary>
    private JournalRecord? LastTrackerRecord(long segment)
    {
        for (long n = segment; n >= 1; n--)
        {
            var path = JournalDirectory.SegmentPath(Directory, n);
            if (!File.Exists(path)) return null;
            var found = SegmentReader.Read(path, n).Records.LastOrDefault(r => r.IsTrackerSession);
            if (found is not null) return found;
        }
        return null;
    }

    private void WaitForConfirmation(long cutId, TimeSpan settle)
    {
        var deadline = DateTime.UtcNow + settle;
        var next = JournalDirectory.SegmentPath(Directory, cutId + 1);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(next) && SegmentReader.Read(next, cutId + 1).Records.Count(r => r is Heartbeat) >= 2) return;
            Thread.Sleep(50);
        }
    }

    /// <summary>Deletes the segments of every interval up to and including cut <paramref name="throughCut"/>.</summary>
    public void Prune(long throughCut)
    {
        using (JournalDirectory.Lock(Directory))
        {
            foreach (var n in JournalDirectory.Segments(Directory))
                if (n <= throughCut && n < JournalDirectory.Current(Directory))
                    File.Delete(JournalDirectory.SegmentPath(Directory, n));
        }
    }

    /// <summary>
    /// Appends under the lock, first cutting off a torn tail if someone else wrote since us. Returns the new length.
    /// A cut-off tail may have held a change, so an Incomplete marker goes first: the interval is walked.
    /// </summary>
    private long AppendToSegment(long number, List<byte> frames, long expectedLength)
    {
        var path = JournalDirectory.SegmentPath(Directory, number);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var marker = new List<byte>();
        if (stream.Length != expectedLength)
        {
            var contents = SegmentReader.Read(path, number);
            long keep = Math.Max(contents.ValidLength, JournalCodec.Magic.Length);
            if (contents.TornTail && stream.Length > keep)
                JournalCodec.AppendFrame(marker, new IncompleteMarker(DateTimeOffset.UtcNow, null,
                    $"journal tail damaged at offset {keep} of {Path.GetFileName(path)} ({stream.Length - keep} bytes cut off)"));
            if (contents.TornTail) stream.SetLength(keep);
            if (contents.ValidLength < JournalCodec.Magic.Length) { stream.Position = 0; stream.Write(JournalCodec.Magic); }
        }
        stream.Seek(0, SeekOrigin.End);
        stream.Write([.. marker, .. frames]);
        stream.Flush(flushToDisk: true);
        return stream.Length;
    }

    private static void CreateSegment(string directory, long number)
    {
        using (var stream = StoreFiles.Open(JournalDirectory.SegmentPath(directory, number), FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(JournalCodec.Magic);
            stream.Flush(flushToDisk: true);
        }
        PosixFs.FsyncDirectory(directory);
    }

    // Changes and Incomplete markers are each written once per segment: keyed by what they say.
    private static byte[]? DedupKey(JournalRecord record) => record switch
    {
        ChangeEntry e => DedupKey(e.Change),
        IncompleteMarker m => MarkerKey(m),
        _ => null,
    };

    /// <summary>
    /// Two changes with the same key need only one record: New (the subtree may be new) and renames are kept apart
    /// from plain changes, because a snapshot treats them differently.
    /// </summary>
    private static byte[] DedupKey(ChangeRecord c)
    {
        byte kind = c.Kind switch { ChangeKind.New => (byte)'n', ChangeKind.Renamed => (byte)'r', _ => (byte)'c' };
        return c.RenamedTo is null ? [kind, .. c.Path] : [kind, .. c.Path, 0, .. c.RenamedTo];
    }

    private static byte[] MarkerKey(IncompleteMarker m) =>
        [(byte)'i', .. System.Text.Encoding.UTF8.GetBytes(m.Source ?? ""), 0, .. System.Text.Encoding.UTF8.GetBytes(m.Reason)];

    /// <summary>For a modification of a path (not a rename), the key the same path has when journaled as new.</summary>
    private static byte[]? AsNew(byte[] key) => key[0] == (byte)'c' ? [(byte)'n', .. key.AsSpan(1)] : null;

    public void Dispose() => Flush();
}
