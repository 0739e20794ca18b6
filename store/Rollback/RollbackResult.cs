// What a rollback did (or, dry, would do): every changed path with its action, the undo point, how the changes were
// known, and which files the running system holds.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store.Rollback;

public sealed record RollbackResult
{
    public required SnapshotRecord Target { get; init; }
    /// <summary>The snapshot of the state before the rollback (pinned); for a dry run, the temporary one it was compared with (forgotten again).</summary>
    public required SnapshotRecord Undo { get; init; }
    public required IReadOnlyList<RollbackStep> Steps { get; init; }
    /// <summary>"changes known from the journal (...)" or "walked (...)": how the current state was read.</summary>
    public required string Method { get; init; }
    public bool DryRun { get; init; }
    /// <summary>This run finished one that was interrupted, reusing its undo point.</summary>
    public bool Resumed { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Some changed file belongs to the running kernel or init: a reboot is advisable.</summary>
    public bool RebootAdvised { get; init; }

    public int Count(string action) => Steps.Count(s => s.Action == action);
    public bool AnyFailed => Steps.Any(s => s.Action == RollbackStep.Failed);

    public string Summary() =>
        $"{(DryRun ? "dry run: would be " : "")}{Count(RollbackStep.Create)} created, {Count(RollbackStep.Replace)} replaced, " +
        $"{Count(RollbackStep.Metadata)} metadata, {Count(RollbackStep.Remove)} removed, {Count(RollbackStep.Unchanged)} unchanged, " +
        $"{Count(RollbackStep.Failed)} failed in {Duration.TotalSeconds:0.00} s (to {Target.Name}; undo point {Undo.Name}{(DryRun ? ", not kept" : "")})";
}
