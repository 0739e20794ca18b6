// Rolls the sources back to a checkpoint through `timetravel rollback SNAPSHOT`, the command that owns rollbacks,
// invoked in this process through the same command tree a user's command line goes through (so an AOT binary needs
// no second process, and this file needs nothing of rollback's but its command line: `rollback SNAPSHOT [PATH...]
// [--dry-run] [--exclude P]`, exit 0 done, 3 partly, 1 failed). The caller must have closed its writer first.
using System.CommandLine;

namespace TimeTravel.Cli.Checkpoints;

public static class RollbackCall
{
    public const string CommandName = "rollback";

    /// <summary>Whether this timetravel has a `rollback` command.</summary>
    public static bool Available => Program.BuildRoot().Subcommands.Any(c => c.Name == CommandName);

    /// <summary>Runs `timetravel --store STORE rollback SNAPSHOT`; its exit status, or 1 (said why) when there is no such command.</summary>
    public static int Run(string store, string snapshot)
    {
        var root = Program.BuildRoot();
        if (!root.Subcommands.Any(c => c.Name == CommandName))
        {
            Console.Error.WriteLine($"timetravel: cannot roll back: this timetravel has no `{CommandName}` command; nothing was rolled back " +
                $"(the checkpoint {snapshot} stays pinned: `timetravel {CommandName} {snapshot}` once it exists, or restore from it)");
            return 1;
        }
        return root.Parse(["--store", store, CommandName, snapshot]).Invoke();
    }
}
