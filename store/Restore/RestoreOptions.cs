// How to restore: for real or as a dry run, keeping what is replaced as NAME.yesterday~ or not, whether files
// that already match the snapshot are left alone, whether a directory is rolled back (entries the snapshot does not
// have are moved aside too) or merged, and whether owners are set.
namespace TimeTravel.Store.Restore;

public sealed record RestoreOptions
{
    /// <summary>List what would be created, replaced, removed or left unchanged; write nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>Keep a replaced or removed file as NAME + BackupSuffix (hard-linked where possible, else renamed).</summary>
    public bool KeepBackup { get; init; } = true;
    public string BackupSuffix { get; init; } = ".yesterday~";
    /// <summary>Leave files whose content and metadata already match the snapshot as they are.</summary>
    public bool OnlyIfDifferent { get; init; }
    /// <summary>
    /// Roll directories back: an entry of an existing directory that the snapshot does not have is moved aside to
    /// NAME + BackupSuffix (removed with KeepBackup off). Names ending in BackupSuffix are left alone: they are the
    /// backups of earlier restores. Off: the snapshot's entries are merged into what is there.
    /// </summary>
    public bool RemoveExtra { get; init; }
    /// <summary>
    /// With RemoveExtra: whether the entry at (path, name) may be removed, that is, whether a snapshot would have
    /// recorded it (inside a source, not excluded, not beyond a mount point). Null: every entry. Sockets, and
    /// entries on another filesystem than their directory, are never removed.
    /// </summary>
    public Func<byte[], byte[], bool>? MayRemove { get; init; }
    /// <summary>Set the recorded owners (root). Off: files belong to whoever restores, and setuid/setgid bits are dropped.</summary>
    public bool SetOwners { get; init; } = true;
}
