// `timetravel init [--store DIR] SOURCE [--exclude PATTERN]...`: creates the store (or opens it) and records a source.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;

namespace TimeTravel.Cli.Commands;

public static class InitCommand
{
    public static Command Create()
    {
        var source = new Argument<string[]>("source") { Description = "Directories to back up (absolute paths)", Arity = ArgumentArity.ZeroOrMore };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Pattern to leave out (a name glob, or a path glob with /)", AllowMultipleArgumentsPerToken = false };
        var arenaSize = new Option<long>("--arena-size") { Description = "Arena size in bytes (new stores only)", DefaultValueFactory = _ => Store.Arenas.ArenaFormat.DefaultMaxArenaSize, Hidden = true };
        var cmd = new Command("init", "Create a store and record the sources it backs up") { source, exclude, arenaSize };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = r.GetValue(CommonOptions.Store)!;
            using var repo = Repository.Init(store, r.GetValue(arenaSize));
            foreach (var s in r.GetValue(source) ?? [])
            {
                string full = Path.GetFullPath(s).TrimEnd('/');
                if (full.Length == 0) full = "/";
                if (!Directory.Exists(full)) throw new StoreException($"{full}: source does not exist or is not a directory");
                repo.Catalog.AddSource(new SourceRecord(full, r.GetValue(exclude) ?? []));
                Console.WriteLine($"source {full} recorded in {repo.Layout.Root}");
            }
            if (repo.Catalog.Sources().Count == 0) Console.WriteLine($"store {repo.Layout.Root} ready; add a source with `timetravel init SOURCE`");
            return CommonOptions.Ok;
        }));
        return cmd;
    }
}
