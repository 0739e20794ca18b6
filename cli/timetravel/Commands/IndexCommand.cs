// `timetravel index rebuild`: remakes the block index from the arenas.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class IndexCommand
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", "Rebuild the block index by scanning the arenas");
        rebuild.SetAction(r => CommonOptions.Run(() =>
        {
            var layout = new StoreLayout(r.GetValue(CommonOptions.Store)!);
            StoreConfig.Load(layout.Config);
            using var writerLock = WriterLock.Acquire(layout, "timetravel index rebuild");
            var result = IndexRebuilder.Rebuild(layout, m => Console.Error.WriteLine($"timetravel: {m}"));
            Console.WriteLine($"index rebuilt: {result.Blocks} blocks in {result.Arenas} arenas" + (result.Problems.Count > 0 ? $", {result.Problems.Count} problems" : ""));
            return CommonOptions.Ok;
        }));
        var cmd = new Command("index", "Maintain the block index") { rebuild };
        return cmd;
    }
}
