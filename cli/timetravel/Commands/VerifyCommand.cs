// `timetravel verify [--read-data] [--json]`: checks the store's structure, and with --read-data every block's score.
// Exit 0 intact, 1 problems found (each on standard error, or all in the JSON listing).
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class VerifyCommand
{
    public static Command Create()
    {
        var readData = new Option<bool>("--read-data") { Description = "Read every block and check its score" };
        var json = CommonOptions.Json();
        var cmd = new Command("verify", "Check the store for damage") { readData, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            bool asJson = r.GetValue(json);
            var progress = new WorkProgress();
            var verifier = new StoreVerifier(repo, asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}"), progress);
            var result = ProgressDisplay.Run("verify", progress, () => verifier.Run(r.GetValue(readData)));
            if (asJson) JsonOut.Write(w => Write(w, repo.Layout.Root, r.GetValue(readData), result));
            else Console.WriteLine(result.Ok
                ? $"store {repo.Layout.Root} is intact: {result.SnapshotsChecked} snapshots" + (r.GetValue(readData) ? $", {result.BlocksChecked} blocks read back" : "")
                : $"store {repo.Layout.Root}: {result.Problems.Count} problems found");
            return result.Ok ? CommonOptions.Ok : CommonOptions.Failed;
        }));
        return cmd;
    }

    private static void Write(System.Text.Json.Utf8JsonWriter w, string store, bool readData, VerifyResult result)
    {
        w.WriteStartObject();
        w.WriteString("store", store);
        w.WriteBoolean("ok", result.Ok);
        w.WriteBoolean("readData", readData);
        w.WriteNumber("snapshots", result.SnapshotsChecked);
        w.WriteNumber("blocksRead", result.BlocksChecked);
        w.WriteStartArray("problems");
        foreach (var p in result.Problems)
        {
            w.WriteStartObject();
            w.WriteString("message", p.Message);
            if (p.Snapshot != null) w.WriteString("snapshot", p.Snapshot);
            if (p.Path != null) w.WriteString("path", p.Path);
            if (p.Block != null) w.WriteString("block", p.Block);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("notes");
        foreach (var n in result.Notes) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
