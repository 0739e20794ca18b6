// What a rollback is asked to do: which paths (all sources when none), what to leave alone, and whether to only list.
namespace TimeTravel.Store.Rollback;

public sealed record RollbackRequest
{
    /// <summary>Absolute paths to roll back (each with everything below it); empty: every source.</summary>
    public IReadOnlyList<byte[]> Paths { get; init; } = [];
    /// <summary>Exclude patterns as `--exclude` takes them (ExcludeRules): matching changed paths are left as they are.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>List what would be done and why; change nothing in the sources and add no snapshot.</summary>
    public bool DryRun { get; init; }
}
