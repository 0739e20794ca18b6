// `timetravel rollback SNAPSHOT [PATH...] [--dry-run] [--exclude PATTERN]... [--json]` and `timetravel rollback
// --undo`: makes the sources (or the paths) exactly as SNAPSHOT has them, touching only what changed since, after
// pinning a snapshot of the current state as the undo point (store/Rollback). Never asks: scripts and `checkpoint
// --run` call it, in-process through Execute. Exit 0 done, 3 done but some paths failed (named), 1 refused or failed.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Kernel.Planning;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Rollback;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class RollbackCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string?>("snapshot") { Description = "Snapshot to roll back to: name, id, or latest", Arity = ArgumentArity.ZeroOrOne };
        var paths = new Argument<string[]>("path") { Description = "Roll back only these paths (each with everything below it); default every source", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "List every path that would be created, replaced, changed or removed, and why; change nothing" };
        var exclude = new Option<string[]>("--exclude") { Description = "Leave paths matching this pattern as they are (repeatable; as the sources' excludes)" };
        var undo = new Option<bool>("--undo") { Description = "Roll back to the state before the last completed rollback" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Accepted for scripts; rollback never asks" };
        var json = CommonOptions.Json();
        var cmd = new Command("rollback", "Make the sources as a snapshot has them, changing only what changed since") { snapshot, paths, dryRun, exclude, undo, yes, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenWriter(r.GetValue(CommonOptions.Store)!, "timetravel rollback");
            string? named = r.GetValue(snapshot);
            SnapshotRecord target;
            if (r.GetValue(undo))
            {
                if (named is not null) throw new StoreException($"rollback --undo takes no snapshot ('{named}'): it goes back to the state before the last rollback");
                target = RollbackEngine.UndoTarget(repo);
            }
            else target = repo.FindSnapshot(named ?? throw new StoreException("rollback: name the snapshot to roll back to (or --undo)"));
            Repository.RequireOwn(target, "roll back to"); // another host's snapshot is of other files
            var request = new RollbackRequest
            {
                Paths = (r.GetValue(paths) ?? []).Select(p => PathArguments.InSnapshots(repo, p,
                    b => repo.Trees.Resolve(target.Root, PathBytes.Components(b)) is not null)).ToList(),
                Excludes = r.GetValue(exclude) ?? [],
                DryRun = r.GetValue(dryRun),
            };
            var result = Execute(repo, target, request, m => Console.Error.WriteLine($"timetravel: {m}"));
            if (r.GetValue(json)) WriteJson(result);
            else
            {
                foreach (var s in result.Steps.Where(s => s.Action != RollbackStep.Unchanged))
                    Console.WriteLine($"{(result.DryRun && s.Action != RollbackStep.Failed ? "would " : "")}{s.Action} {PathBytes.Quoted(s.Path)} ({s.Why})" +
                        (s.HeldBy is null ? "" : $" [{s.HeldBy}]"));
                Console.Error.WriteLine(result.Summary());
                Console.Error.WriteLine($"how the changes were known: {result.Method}");
                if (result.RebootAdvised) Console.Error.WriteLine("a reboot is advisable: files of the running kernel or of init were rolled back");
            }
            return result.AnyFailed ? CommonOptions.Partial : CommonOptions.Ok;
        }));
        return cmd;
    }

    /// <summary>
    /// Rolls back in-process (for `checkpoint --run`): the undo snapshot is taken the journal-or-walk way
    /// (IncrementalSnapshot) on a store opened for writing. Throws StoreException when it refuses.
    /// </summary>
    public static RollbackResult Execute(Repository repo, SnapshotRecord target, RollbackRequest request, Action<string> report) =>
        RollbackEngine.Run(repo, target, request, () =>
        {
            // Walk only where the journal has a gap: a full walk on schedule would make a rollback cost the whole tree.
            var policy = new SnapshotPolicy(ForceWalk: false, FullWalkEvery: TimeSpan.MaxValue);
            var result = IncrementalSnapshot.Take(repo, new SnapshotOptions(), policy, new SnapshotProgress(), report);
            report($"current state recorded as snapshot {result.Record.Name}{(request.DryRun ? " (for the dry run only; forgotten again)" : $", pinned: {RollbackEngine.UndoNote(target)}")}");
            return result.Record;
        }, report);

    private static void WriteJson(RollbackResult result) => JsonOut.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("target", result.Target.Name);
        w.WriteString("undo", result.Undo.Name);
        w.WriteBoolean("undoKept", !result.DryRun);
        w.WriteBoolean("dryRun", result.DryRun);
        w.WriteBoolean("resumed", result.Resumed);
        w.WriteString("method", result.Method);
        w.WriteNumber("durationMs", (long)result.Duration.TotalMilliseconds);
        w.WriteBoolean("rebootAdvised", result.RebootAdvised);
        foreach (var (action, key) in new[] { (RollbackStep.Create, "created"), (RollbackStep.Replace, "replaced"), (RollbackStep.Metadata, "metadata"),
            (RollbackStep.Remove, "removed"), (RollbackStep.Unchanged, "unchanged"), (RollbackStep.Failed, "failed") })
            w.WriteNumber(key, result.Count(action));
        w.WriteStartArray("paths");
        foreach (var s in result.Steps)
        {
            w.WriteStartObject();
            w.WriteString("path", s.Shown);
            w.WriteString("action", s.Action);
            w.WriteString("why", s.Why);
            if (s.Detail is not null) w.WriteString("detail", s.Detail);
            if (s.HeldBy is not null) w.WriteString("heldBy", s.HeldBy);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
