// `timetravel checkpoint --run -- COMMAND...`: mark, try, then keep or roll back. A checkpoint (pinned), the command
// run on this terminal, a snapshot after it that names the checkpoint, what changed between the two, and the verdict
// (RunVerdict): keep, or `timetravel rollback CHECKPOINT`. The store is not locked while the command runs (it may
// itself run timetravel). The exit status is the command's, whatever was decided.
using System.Diagnostics;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;

namespace TimeTravel.Cli.Checkpoints;

public sealed record TryRunOptions(string Store, IReadOnlyList<string> Command, string? Note, bool KeepIfSuccess, bool RollbackOnFailure);

public static class TryRun
{
    /// <summary>Exit status of a command that could not be started (as a shell says for a command not found).</summary>
    public const int NotStarted = 127;

    public static int Run(TryRunOptions o)
    {
        string commandLine = string.Join(' ', o.Command);
        SnapshotRecord pre;
        using (var repo = Repository.OpenWriter(o.Store, "timetravel checkpoint"))
            pre = Checkpoint.Take(repo, o.Note ?? $"run: {commandLine}");
        Console.Error.WriteLine($"timetravel: checkpoint {pre.Name} (id {pre.Id}, pinned); running: {commandLine}");

        int status = RunCommand(o.Command);
        if (status == NotStarted) Console.Error.WriteLine($"timetravel: the checkpoint {pre.Name} stays pinned");

        SnapshotRecord post;
        using (var repo = Repository.OpenWriter(o.Store, "timetravel checkpoint --run"))
            post = Checkpoint.TakePost(repo, pre.Id, $"after (status {status}): {commandLine}");
        using (var reader = Repository.OpenReader(o.Store))
            foreach (var line in ChangeSummary.Between(reader, pre, post).Lines(pre, post)) Console.WriteLine(line);

        bool canAsk = !Console.IsInputRedirected;
        var (outcome, why) = RunVerdict.Decide(status, o.KeepIfSuccess, o.RollbackOnFailure, canAsk);
        if (outcome == RunOutcome.Ask) outcome = Ask();
        else Console.WriteLine($"{(outcome == RunOutcome.Keep ? "keeping" : "rolling back")}: {why}");
        if (outcome == RunOutcome.Keep)
        {
            Console.WriteLine($"kept the changes; {pre.Name} stays pinned (`timetravel unpin {pre.Name}` releases it; `timetravel rollback {pre.Name}` still rolls back)");
            return status;
        }
        int rolled = RollbackCall.Run(o.Store, pre.Name);
        if (rolled != 0) Console.Error.WriteLine($"timetravel: the rollback to {pre.Name} ended with status {rolled}; `timetravel rollback {pre.Name}` runs it again");
        return status;
    }

    // The command inherits this terminal (stdin, stdout, stderr). Ctrl-C goes to the whole foreground group: the
    // command gets it and decides; this process waits for it and carries on to the snapshot after.
    private static int RunCommand(IReadOnlyList<string> command)
    {
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        ConsoleCancelEventHandler ignore = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += ignore;
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"timetravel: cannot run {command[0]}: {e.Message}");
            return NotStarted;
        }
        finally { Console.CancelKeyPress -= ignore; }
    }

    private static RunOutcome Ask()
    {
        while (true)
        {
            Console.Write("keep or roll back? [k/r] ");
            string? line = Console.ReadLine();
            if (line is null) { Console.WriteLine(); Console.WriteLine("no answer (end of input): kept"); return RunOutcome.Keep; }
            if (RunVerdict.ParseAnswer(line) is { } o) return o;
        }
    }
}
