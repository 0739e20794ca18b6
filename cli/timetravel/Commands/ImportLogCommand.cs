// `timetravel import-log FILE...`: reads FastVPS change logs (`<n> NEW|MOD|REM <path>` lines) into the change journal,
// dropping the paths a walk would not record, as the tracker does. Every problem is printed; any problem (a malformed
// line, a file that cannot be read) marks the journal incomplete, so the next snapshot walks, and exits 1.
using System.CommandLine;
using TimeTravel.Kernel.FastVps;
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class ImportLogCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "FastVPS logs: /var/log/backup/YYYY-MM-DD.log or debugfs backup/logN", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("import-log", "Import FastVPS kernel change logs into the change journal") { files };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var sources = repo.Catalog.Sources();
            var trie = SourceTrie.Build(sources, repo.Layout.Root);
            var journal = ChangeJournal.Open(repo.Layout.Journal);
            var result = LogImporter.Import(r.GetValue(files)!.Select(f => PathArguments.Text(f, "log file")).ToArray(), journal, trie.Covers, TrackCommand.Described(sources, repo.Layout.Root));
            foreach (var e in result.Errors) Console.Error.WriteLine($"timetravel: {e}");
            Console.WriteLine($"{result.Imported} changes imported" + (result.Dropped > 0 ? $", {result.Dropped} dropped (outside the sources, excluded, or in the store)" : "")
                + (result.Clean ? "" : $"; {result.Errors.Count} problem(s) (malformed lines or unreadable files): the next snapshot walks every source"));
            return result.Clean ? CommonOptions.Ok : CommonOptions.Failed;
        }));
        return cmd;
    }
}
