// `timetravel catalog rebuild [--force] [--json]`: remakes catalog.db from the catalog records in the arenas, under the
// writer lock. Exit 0 when every record was read and every snapshot kept, 3 when it was rebuilt but damaged records or
// snapshots whose root is not indexed were left out, 1 when it could not be rebuilt (or catalog.db is readable and
// --force was not given).
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Maintenance;

namespace TimeTravel.Cli.Commands;

public static class CatalogCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var force = new Option<bool>("--force") { Description = "Rebuild even though catalog.db is readable (it is kept beside the new one)" };
        var rebuild = new Command("rebuild", "Rebuild catalog.db (snapshots, pins, sources, settings) from the records in the arenas") { force, json };
        rebuild.SetAction(r => CommonOptions.Run(() =>
        {
            var layout = new StoreLayout(CommonOptions.StoreRoot(r));
            bool asJson = r.GetValue(json);
            using var locks = RebuildLocks.Take(layout, "timetravel catalog rebuild", asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}"));
            var progress = new WorkProgress();
            var result = ProgressDisplay.Run("catalog rebuild", progress,
                () => CatalogRebuilder.Rebuild(layout, r.GetValue(force), asJson ? null : m => Console.Error.WriteLine($"timetravel: {m}"), progress));
            bool clean = result.Problems.Count == 0 && result.LeftOut.Count == 0;
            if (asJson)
                JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("store", layout.Root);
                    w.WriteBoolean("ok", clean);
                    w.WriteNumber("records", result.Records);
                    w.WriteNumber("snapshots", result.Snapshots.Count);
                    w.WriteNumber("forgotten", result.Forgotten);
                    w.WriteNumber("pinned", result.Snapshots.Count(s => s.Pin is not null));
                    w.WriteNumber("lastSequence", result.LastSequence);
                    if (result.OldCatalogKeptAs is { } kept) w.WriteString("oldCatalog", kept); else w.WriteNull("oldCatalog");
                    w.WriteStartArray("leftOut"); foreach (var p in result.LeftOut) w.WriteStringValue(p); w.WriteEndArray();
                    w.WriteStartArray("problems"); foreach (var p in result.Problems) w.WriteStringValue(p); w.WriteEndArray();
                    w.WriteEndObject();
                });
            else
            {
                Console.WriteLine($"catalog rebuilt from {result.Records} records: {result.Snapshots.Count} snapshots " +
                    $"({result.Snapshots.Count(s => s.Pin is not null)} pinned), {result.Forgotten} forgotten left out" +
                    (result.OldCatalogKeptAs is { } k ? $"; the old catalog is kept as {k}" : ""));
                if (!clean)
                    Console.WriteLine($"{result.LeftOut.Count} snapshots left out and {result.Problems.Count} problems (listed above); " +
                        "`timetravel verify` checks what was kept");
            }
            return clean ? CommonOptions.Ok : CommonOptions.Partial;
        }));
        return new Command("catalog", "Maintain the catalog (catalog.db)") { rebuild };
    }
}
