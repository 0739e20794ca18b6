// `timetravel rollback`: makes the sources (or some paths) exactly as a snapshot has them, touching only what changed
// since. First the current state is recorded as a snapshot (the undo point, pinned), by whatever the caller passes
// (the CLI takes it the journal-or-walk way, IncrementalSnapshot), and the rollback is noted as running in
// STORE/rollback (RollbackState); then RollbackPlanner compares the two snapshots and the live files, and
// RollbackRun changes what differs. Run again after a kill, the same rollback reuses the recorded undo point and
// finishes from the live state. `--undo` rolls back to the undo point of the last completed rollback.
using System.Diagnostics;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Rollback;

public static class RollbackEngine
{
    /// <summary>The note the undo snapshot is pinned with.</summary>
    public static string UndoNote(SnapshotRecord target) => $"undo of rollback to {target.Name}";

    /// <summary>The snapshot `--undo` rolls back to: the undo point of the last completed rollback.</summary>
    public static SnapshotRecord UndoTarget(Repository repo)
    {
        var state = RollbackState.Read(repo.Layout)
            ?? throw new StoreException($"{repo.Layout.Root}: no rollback has been done with this store; there is nothing to undo");
        if (state.Phase == RollbackState.Running)
            throw new StoreException($"the rollback to {state.TargetName} is unfinished; run `timetravel rollback {state.TargetName}` again to finish it before undoing it");
        return repo.Catalog.Snapshots().FirstOrDefault(s => s.Id == state.UndoId)
            ?? throw new StoreException($"the undo point of the last rollback, snapshot {state.UndoName} (id {state.UndoId}), is no longer in {repo.Layout.Root}");
    }

    /// <summary>
    /// Rolls back to `target`. `snapshotNow` records the current state as a snapshot and returns it (not called when
    /// finishing an interrupted rollback of the same target, whose undo point is reused). Throws StoreException,
    /// naming the reason, when it refuses before changing anything.
    /// </summary>
    public static RollbackResult Run(Repository repo, SnapshotRecord target, RollbackRequest request, Func<SnapshotRecord> snapshotNow, Action<string> report)
    {
        Repository.RequireOwn(target, "roll back to");
        if (!repo.IsWriter) throw new InvalidOperationException("a rollback needs the store open for writing");
        var clock = Stopwatch.StartNew();
        CheckPaths(repo, target, request);
        var state = RollbackState.Read(repo.Layout);
        bool resuming = state?.Phase == RollbackState.Running;
        if (resuming && state!.TargetId != target.Id)
            throw new StoreException($"the rollback to {state.TargetName} is unfinished; run `timetravel rollback {state.TargetName}` again to finish it first " +
                $"(its undo point is {state.UndoName})");

        SnapshotRecord undo;
        string method;
        if (resuming)
        {
            undo = repo.Catalog.Snapshots().FirstOrDefault(s => s.Id == state!.UndoId)
                ?? throw new StoreException($"the interrupted rollback's undo point, snapshot {state!.UndoName} (id {state.UndoId}), is no longer in {repo.Layout.Root}");
            method = $"finishing the interrupted rollback: changes known from its undo point {undo.Name}, live files re-read";
            report($"finishing the interrupted rollback to {target.Name}; the undo point stays {undo.Name}");
        }
        else
        {
            undo = snapshotNow();
            method = MethodOf(undo);
            if (!request.DryRun)
            {
                repo.Pin(undo, UndoNote(target));
                RollbackState.Write(repo.Layout, new RollbackState(RollbackState.Running, target.Id, target.Name, undo.Id, undo.Name));
            }
        }
        try
        {
            var steps = new RollbackPlanner(repo, target, undo, request).Plan();
            bool reboot = MarkLiveSystemFiles(steps, report);
            if (!request.DryRun)
            {
                new RollbackRun(repo, target, resuming, report).Execute(steps, resuming);
                RollbackState.Write(repo.Layout, new RollbackState(RollbackState.Done, target.Id, target.Name, undo.Id, undo.Name));
            }
            return new RollbackResult
            {
                Target = target, Undo = undo, Steps = steps, Method = method, DryRun = request.DryRun, Resumed = resuming,
                Duration = clock.Elapsed, RebootAdvised = reboot,
            };
        }
        finally
        {
            // A dry run adds no snapshot: the one it compared with goes again (its new blocks at the next gc).
            if (request.DryRun && !resuming) repo.Forget([undo]);
        }
    }

    private static string MethodOf(SnapshotRecord s) =>
        s.Method == "journal" ? $"changes known from the journal ({s.MethodReason})" : $"walked: {s.MethodReason}";

    /// <summary>Each PATH must lie in a source and be in the snapshot or on disk now.</summary>
    private static void CheckPaths(Repository repo, SnapshotRecord target, RollbackRequest request)
    {
        var sources = Snapshots.SourceTrie.Build(repo.Catalog.Sources(), repo.Layout.Root);
        foreach (var path in request.Paths)
        {
            string shown = PathBytes.Quoted(path);
            if (!sources.Covers(path))
                throw new StoreException($"{shown}: not in any source of {repo.Layout.Root} (or excluded from it); nothing to roll back there");
            if (repo.Trees.Resolve(target.Root, PathBytes.Components(path)) is null && !PosixFs.TryLStat(path, out _))
                throw new StoreException($"{shown}: neither in snapshot {target.Name} nor on disk; nothing to roll back there");
        }
    }

    /// <summary>Notes on each step the running system holds what it holds, and says so before anything is changed.</summary>
    private static bool MarkLiveSystemFiles(List<RollbackStep> steps, Action<string> report)
    {
        var touching = steps.Where(s => s.Action is RollbackStep.Replace or RollbackStep.Remove).ToList();
        if (touching.Count == 0) return false;
        var live = LiveSystemFiles.Scan();
        bool reboot = false;
        foreach (var s in touching)
        {
            bool directory = PosixFs.TryLStat(s.Path, out var st) && st.Kind == FileKind.Directory;
            if (live.HeldBy(s.Shown, directory) is not { } held) continue;
            s.HeldBy = held.Who;
            reboot |= held.Reboot;
            report($"{s.Shown}: {held.Who}; {(s.Action == RollbackStep.Remove ? "removed" : "replaced by rename")}: running processes keep the old file until they restart" +
                (held.Reboot ? "; a reboot is advisable" : ""));
        }
        return reboot;
    }
}
