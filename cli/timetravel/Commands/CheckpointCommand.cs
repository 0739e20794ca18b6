// `timetravel checkpoint [--note TEXT] [--json]`: takes a snapshot as `snapshot` does and pins it with the note, so
// every retention policy keeps it until `unpin`; prints its name. With `--run -- COMMAND...` it also runs the command,
// snapshots after it, shows what changed and keeps or rolls back (Checkpoints/TryRun). Exit codes as `snapshot`;
// with --run, the command's.
using System.CommandLine;
using TimeTravel.Cli.Checkpoints;
using TimeTravel.Cli.Output;
using TimeTravel.Store;

namespace TimeTravel.Cli.Commands;

public static class CheckpointCommand
{
    public static Command Create()
    {
        var note = new Option<string?>("--note") { Description = "Why the checkpoint is taken (recorded with it and shown by list)" };
        var json = CommonOptions.Json();
        var run = new Option<bool>("--run") { Description = "Run the command after --, snapshot after it, show what changed, then keep or roll back" };
        var keepIfSuccess = new Option<bool>("--keep-if-success")
        {
            Description = "With --run: keep when the command exits 0, roll back when it fails; never ask",
        };
        var rollbackOnFailure = new Option<bool>("--rollback-on-failure")
        {
            Description = "With --run: roll back without asking when the command fails; when it succeeds, ask on a terminal (keep without one)",
        };
        var command = new Argument<string[]>("command") { Description = "With --run: the command and its arguments, after --", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("checkpoint", "Take a snapshot and pin it; with --run, try a command and keep or roll back")
        {
            note, json, run, keepIfSuccess, rollbackOnFailure, command,
        };
        cmd.Validators.Add(r =>
        {
            bool running = r.GetValue(run);
            int words = r.GetValue(command)?.Length ?? 0;
            if (running && words == 0) r.AddError("checkpoint --run: no command to run (give it after --: timetravel checkpoint --run -- apt upgrade)");
            if (!running && words > 0) r.AddError($"checkpoint: '{r.GetValue(command)![0]}' is a command to run, which needs --run (timetravel checkpoint --run -- COMMAND...)");
            if (!running && (r.GetValue(keepIfSuccess) || r.GetValue(rollbackOnFailure)))
                r.AddError("checkpoint: --keep-if-success and --rollback-on-failure decide after a command run by --run");
            if (running && r.GetValue(json)) r.AddError("checkpoint: --json prints the checkpoint alone; it does not go with --run");
        });
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = CommonOptions.StoreRoot(r);
            string? text = r.GetValue(note) is { Length: > 0 } n ? n : null;
            if (r.GetValue(run))
                return TryRun.Run(new TryRunOptions(store, r.GetValue(command)!, text, r.GetValue(keepIfSuccess), r.GetValue(rollbackOnFailure)));
            using var repo = Repository.OpenWriter(store, "timetravel checkpoint");
            var s = Checkpoint.Take(repo, text);
            if (r.GetValue(json)) JsonOut.Write(w => ListCommand.WriteSnapshot(w, s));
            else Console.WriteLine(s.Name);
            return SnapshotRun.ExitCode(s);
        }));
        return cmd;
    }
}
