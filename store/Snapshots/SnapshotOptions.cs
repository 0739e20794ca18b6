// How to take a snapshot.
namespace TimeTravel.Store.Snapshots;

public sealed record SnapshotOptions
{
    /// <summary>Read every file even when its size, mtime and ctime say it is unchanged.</summary>
    public bool RereadAll { get; init; }
    /// <summary>Files read at the same time: more than the cores, since a cold snapshot waits on the disk more than the CPU.</summary>
    public int Parallelism { get; init; } = Math.Max(4, 2 * Environment.ProcessorCount);
    /// <summary>The snapshot's time; now by default (tests fake other days with it).</summary>
    public DateTimeOffset? Time { get; init; }
    /// <summary>How many times to re-read a file that changes while it is read before recording it as unstable.</summary>
    public int StabilityRetries { get; init; } = 3;
    /// <summary>When set, only what the change journal names is visited (see ChangeFilter); null walks everything.</summary>
    public ChangeFilter? Changes { get; init; }
    /// <summary>How the snapshot was made, for the record: "walk" or "journal", and why.</summary>
    public string Method { get; init; } = "walk";
    public string? MethodReason { get; init; }
    /// <summary>The journal position this snapshot consumed up to (recorded so the next one starts there).</summary>
    public long JournalCut { get; init; } = -1;
    /// <summary>
    /// A changed-range tracker to ask which ranges of a changed file to read (journal snapshots only); null reads
    /// changed files whole.
    /// </summary>
    public IChangedRangeSource? Ranges { get; init; }
    /// <summary>The id of the journal <see cref="JournalCut"/> belongs to.</summary>
    public string? JournalId { get; init; }
    /// <summary>What the snapshot is for, recorded with it (a checkpoint's note, the packages of an apt transaction).</summary>
    public string? Note { get; init; }
    /// <summary>A post snapshot: the id of the pre checkpoint it pairs with (0: none).</summary>
    public long PreId { get; init; }
    /// <summary>Sources read from a point-in-time copy rather than the live tree (see SourceView); empty: all live.</summary>
    public IReadOnlyList<SourceView> Views { get; init; } = [];
    /// <summary>
    /// Called once every source is read, before the snapshot is committed: ends a frozen or point-in-time read as early
    /// as possible and returns what guarantee the read had, which is appended to the method reason ("" for none). Not
    /// called when reading fails: the caller owns the view and ends it.
    /// </summary>
    public Func<string>? ReadFinished { get; init; }
}
