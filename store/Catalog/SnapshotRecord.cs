// What the catalog holds about one snapshot: when, of what, its root, how it was made, and its statistics.
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Catalog;

public sealed record SnapshotStats
{
    // What the snapshot holds (see Snapshots.SnapshotTotals); -1 when not known: a journal snapshot recorded before
    // totals were counted from the trees stored what it visited, which VisitedFiles and VisitedDirectories now hold.
    public long Files { get; init; }
    public long Directories { get; init; }
    public long LogicalBytes { get; init; }   // sum of regular file sizes
    public bool TotalsCounted { get; init; }  // true: the three above were counted from the trees, so the next snapshot may carry them forward
    public long VisitedFiles { get; init; }   // what the snapshot looked at: everything for a walk, the changes for a journal snapshot
    public long VisitedDirectories { get; init; }
    public long BytesRead { get; init; }      // content actually read this time
    public long NewBlocks { get; init; }
    public long NewBytes { get; init; }       // uncompressed bytes of new blocks
    public long StoredBytes { get; init; }    // bytes appended to arenas
    public long DurationMs { get; init; }
    public long Errors { get; init; }
    // How the content of the files looked at was got (Snapshots.FileReads); -1 in snapshots recorded before they were counted.
    public long WholeFiles { get; init; } = -1;      // read whole
    public long WholeBytes { get; init; } = -1;      // bytes read for them
    public long RangeFiles { get; init; } = -1;      // read by changed ranges (kernel/Ranges)
    public long RangeFileBytes { get; init; } = -1;  // their sizes
    public long RangeBytesRead { get; init; } = -1;  // bytes read for them
    public long ReusedFiles { get; init; } = -1;     // kept without reading: unchanged stamp, or no write seen by the range tracker
    public bool ReadsCounted => WholeFiles >= 0;
}

/// <summary>A pin keeps a snapshot from every retention policy (a checkpoint before an upgrade, a legal hold).</summary>
public sealed record PinInfo(DateTimeOffset Time, string? Note);

public sealed record SnapshotRecord
{
    public long Id { get; init; }
    public required string Name { get; init; }        // local time, YYYY-MM-DD_HHMM[SS]
    public required DateTimeOffset Time { get; init; }
    public required IReadOnlyList<string> Sources { get; init; }
    public required Node Root { get; init; }          // the directory "/" of the snapshot
    public required SnapshotStats Stats { get; init; }
    public bool Complete { get; init; } = true;       // false: some files could not be read (see Errors)
    public string Method { get; init; } = "walk";     // walk or journal
    public string? MethodReason { get; init; }
    public StreamRef ChangedPaths { get; init; } = StreamRef.Empty; // the paths that changed (Snapshots.ChangeList)
    public long ChangedCount { get; init; } = -1;     // how many paths ChangedPaths holds; -1: not recorded (older snapshots)
    public long ChangedSince { get; init; } = -1;     // the id of the snapshot ChangedPaths is against (0: none, the first); -1: unknown
    public long JournalCut { get; init; } = -1;       // the change journal position this snapshot consumed up to
    public string? JournalId { get; init; }           // the id of the journal that cut belongs to (a reset journal has a new one)
    public PinInfo? Pin { get; init; }                // null: not pinned
    public string? Note { get; init; }                // what the snapshot is for (a checkpoint's note, an apt transaction's packages); null: none
    public long PreId { get; init; }                  // a post snapshot: the id of the pre checkpoint it pairs with; 0: none
    public string? Host { get; init; }                // null: the store's own host (Repository.HostName); else the host it was taken on (Repository.ImportForeignSnapshot)
}
