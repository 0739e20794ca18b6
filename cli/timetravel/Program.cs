// The `timetravel` command: one subcommand per file under Commands/.
using System.CommandLine;
using TimeTravel.Cli.Commands;
using TimeTravel.Store.Posix;

namespace TimeTravel.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // A store in a bucket is reached through the S3 client in remote/ (the store itself knows only IObjectStore).
        Store.Bucket.BucketLink.Opener = Remote.ObjectStores.Open;
        // Path arguments are bytes: the ones that are not UTF-8 come through as they were typed (CommandLineBytes).
        return BuildRoot().Parse(CommandLineBytes.Arguments(args)).Invoke();
    }

    /// <summary>The whole command tree; `checkpoint --run` also goes through it to call `rollback`.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("TimeTravel: snapshots of your files as dated read-only directories.");
        root.Options.Add(CommonOptions.Store);
        foreach (var c in new[]
        {
            InitCommand.Create(), SnapshotCommand.Create(), ListCommand.Create(), LsCommand.Create(), CatCommand.Create(),
            StatsCommand.Create(), VerifyCommand.Create(), IndexCommand.Create(), CatalogCommand.Create(), ForgetCommand.Create(), GcCommand.Create(), MountCommand.Create(), MountCommand.CreateUmount(),
            TrackCommand.Create(), ImportLogCommand.Create(), HistoryCommand.Create(), DiffCommand.Create(), RestoreCommand.Create(),
            PolicyCommand.Create(), PinCommand.Create(), PinCommand.CreateUnpin(), CheckpointCommand.Create(), AptHookCommand.Create(), RollbackCommand.Create(),
            ReplicateCommand.Create(),
        })
            root.Subcommands.Add(c);
        return root;
    }
}
