// `timetravel verify [--read-data]`: checks the store's structure, and with --read-data every block's score.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class VerifyCommand
{
    public static Command Create()
    {
        var readData = new Option<bool>("--read-data") { Description = "Read every block and check its score" };
        var cmd = new Command("verify", "Check the store for damage") { readData };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            var result = new StoreVerifier(repo, m => Console.Error.WriteLine($"timetravel: {m}")).Run(r.GetValue(readData));
            Console.WriteLine(result.Ok
                ? $"store {repo.Layout.Root} is intact: {result.SnapshotsChecked} snapshots" + (r.GetValue(readData) ? $", {result.BlocksChecked} blocks read back" : "")
                : $"store {repo.Layout.Root}: {result.Problems.Count} problems found");
            return result.Ok ? CommonOptions.Ok : CommonOptions.Failed;
        }));
        return cmd;
    }
}
