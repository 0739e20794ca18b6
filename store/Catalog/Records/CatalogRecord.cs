// A change to the catalog as written into the arenas (block type 3), so that `timetravel catalog rebuild` can remake
// catalog.db from the arenas alone: a committed snapshot, a forget, a pin or unpin, the store's settings. Replayed in
// Sequence order; docs/format.md §8.3 gives the encoding (CatalogRecordCodec).
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Catalog.Records;

public enum CatalogRecordKind : byte { Snapshot = 1, Forget = 2, Pin = 3, Settings = 4 }

public abstract record CatalogRecord
{
    /// <summary>Increasing in the order the writer made the records (the catalog reserves each one before it is written).</summary>
    public long Sequence { get; init; }

    /// <summary>16 random bytes: a record never deduplicates against file data, and no file can hold one in advance.</summary>
    public byte[] Nonce { get; init; } = new byte[CatalogRecordCodec.NonceSize];

    public abstract CatalogRecordKind Kind { get; }
}

/// <summary>A snapshot committed: every field of its catalog record.</summary>
public sealed record SnapshotCommitted(SnapshotRecord Snapshot) : CatalogRecord
{
    public override CatalogRecordKind Kind => CatalogRecordKind.Snapshot;
}

/// <summary>One snapshot a forget removed: its id and the score of its snapshot record block.</summary>
public readonly record struct ForgottenSnapshot(long Id, Score Record);

/// <summary>One `forget` command: the snapshots it removed, all at once.</summary>
public sealed record SnapshotsForgotten(DateTimeOffset Time, IReadOnlyList<ForgottenSnapshot> Snapshots) : CatalogRecord
{
    public override CatalogRecordKind Kind => CatalogRecordKind.Forget;
}

/// <summary>A pin set (Pin non-null) or removed (Pin null) on one snapshot, at Time.</summary>
public sealed record PinChanged(long SnapshotId, Score SnapshotRecord, DateTimeOffset Time, PinInfo? Pin) : CatalogRecord
{
    public override CatalogRecordKind Kind => CatalogRecordKind.Pin;
}

/// <summary>The store's sources and recorded settings (zone, retention policy, ...) as they are now: the latest one wins.</summary>
public sealed record SettingsRecorded(IReadOnlyList<SourceRecord> Sources, IReadOnlyList<KeyValuePair<string, string>> Settings) : CatalogRecord
{
    public override CatalogRecordKind Kind => CatalogRecordKind.Settings;
}
