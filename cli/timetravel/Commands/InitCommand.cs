// `timetravel init [--store DIR] SOURCE [--exclude PATTERN]...`: creates the store (or opens it) and records a source.
// A source is recorded by its real path: a snapshot never follows symlinks, so a source given through a symlink
// (`/home` -> `/data/home`) would otherwise back up the link alone.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;

namespace TimeTravel.Cli.Commands;

public static class InitCommand
{
    public static Command Create()
    {
        var source = new Argument<string[]>("source") { Description = "Directories to back up (recorded by their real path, symlinks resolved)", Arity = ArgumentArity.ZeroOrMore };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Pattern to leave out (a name glob, or a path glob with /)", AllowMultipleArgumentsPerToken = false };
        var arenaSize = new Option<long>("--arena-size") { Description = "Arena size in bytes (new stores only)", DefaultValueFactory = _ => Store.Arenas.ArenaFormat.DefaultMaxArenaSize, Hidden = true };
        var newCatalog = new Option<bool>("--new-catalog") { Description = "Start an empty catalog over the blocks of a store whose catalog.db was lost (its snapshots stay lost)" };
        var host = new Option<string?>("--host") { Description = "The host this store's snapshots are of (default: this machine's short host name); several hosts write into one store under their names" };
        var cmd = new Command("init", "Create a store and record the sources it backs up") { source, exclude, arenaSize, newCatalog, host };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = r.GetValue(CommonOptions.Store)!;
            string? named = r.GetValue(host);
            if (named is not null) HostNames.Check(named, "--host"); // before the store is made: bad input changes nothing
            using var repo = Repository.Init(store, r.GetValue(arenaSize), r.GetValue(newCatalog));
            RecordHost(repo, named);
            foreach (var s in r.GetValue(source) ?? [])
            {
                string full = RealSource(PathArguments.Text(s, "source"));
                repo.AddSource(new SourceRecord(full, r.GetValue(exclude) ?? []));
                Console.WriteLine($"source {full} recorded in {repo.Layout.Root}");
            }
            if (repo.Catalog.Sources().Count == 0) Console.WriteLine($"store {repo.Layout.Root} ready; add a source with `timetravel init SOURCE`");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    // The store's own host: as named, or, when it records none yet, this machine's short name (the one it would assume).
    private static void RecordHost(Repository repo, string? named)
    {
        string? recorded = repo.Catalog.Setting(HostNames.Setting);
        if (named is not null && named != recorded)
        {
            if (recorded is not null) Console.Error.WriteLine($"timetravel: note: the store's host was {recorded}; it is {named} now");
            repo.SetHostName(named);
        }
        else if (recorded is null)
        {
            string machine = HostNames.OfMachine();
            if (HostNames.Problem(machine) is { } problem)
                throw new StoreException($"this machine's host name '{machine}' cannot name the store's host ({problem}); give one with `init --host NAME`");
            repo.SetHostName(machine);
        }
    }

    /// <summary>The source's real path (symlinks on the way resolved), with a note when it differs from what was given.</summary>
    public static string RealSource(string given)
    {
        string full = PathBytes.Normalize(Path.GetFullPath(given));
        byte[] real;
        try { real = PosixFs.RealPath(PathBytes.From(full)); }
        catch (PosixException) { throw new StoreException($"{full}: source does not exist or is not a directory"); }
        string resolved = System.Text.Encoding.UTF8.GetString(real);
        if (!PosixFs.TryLStat(real, out var st) || st.Kind != FileKind.Directory)
            throw new StoreException($"{full}: source does not exist or is not a directory");
        if (resolved != full)
            Console.Error.WriteLine($"timetravel: note: {full} is reached through a symlink; recording its real path {resolved} (snapshots never follow symlinks)");
        return resolved;
    }
}
