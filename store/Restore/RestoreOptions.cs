// How to restore: for real or as a dry run, keeping what is replaced as NAME.yesterday~ or not, and whether files
// that already match the snapshot are left alone.
namespace TimeTravel.Store.Restore;

public sealed record RestoreOptions
{
    /// <summary>List what would be created, replaced or left unchanged; write nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>Keep a replaced file as NAME + BackupSuffix (hard-linked where possible, else renamed).</summary>
    public bool KeepBackup { get; init; } = true;
    public string BackupSuffix { get; init; } = ".yesterday~";
    /// <summary>Leave files whose content and metadata already match the snapshot as they are.</summary>
    public bool OnlyIfDifferent { get; init; }
}
