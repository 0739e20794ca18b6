// `timetravel index rebuild [--json]`: remakes the block index from the arenas. Exit 0 when every arena scanned
// clean, 3 when the index was rebuilt but damaged bytes or unreadable arenas were skipped (their blocks are not in
// it: `timetravel verify --read-data` names the snapshot paths that used them), 1 when it could not be rebuilt.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class IndexCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var rebuild = new Command("rebuild", "Rebuild the block index by scanning the arenas") { json };
        rebuild.SetAction(r => CommonOptions.Run(() =>
        {
            var layout = new StoreLayout(CommonOptions.StoreRoot(r));
            bool asJson = r.GetValue(json);
            using var locks = RebuildLocks.Take(layout, "timetravel index rebuild", asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}"));
            var progress = new WorkProgress();
            var result = ProgressDisplay.Run("index rebuild", progress,
                () => IndexRebuilder.Rebuild(layout, asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}"), progress));
            bool clean = result.Problems.Count == 0;
            if (asJson)
                JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("store", layout.Root);
                    w.WriteBoolean("ok", clean);
                    w.WriteNumber("blocks", result.Blocks);
                    w.WriteNumber("arenas", result.Arenas);
                    w.WriteStartArray("problems"); foreach (var p in result.Problems) w.WriteStringValue(p); w.WriteEndArray();
                    w.WriteEndObject();
                });
            else if (clean) Console.WriteLine($"index rebuilt: {result.Blocks} blocks in {result.Arenas} arenas");
            else Console.WriteLine($"index rebuilt: {result.Blocks} blocks in {result.Arenas} arenas, but {result.Problems.Count} damaged regions " +
                "were skipped and their blocks are not in the index; `timetravel verify --read-data` names the snapshot paths that used them");
            return clean ? CommonOptions.Ok : CommonOptions.Partial;
        }));
        var cmd = new Command("index", "Maintain the block index") { rebuild };
        return cmd;
    }
}
