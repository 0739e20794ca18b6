// `timetravel import-log FILE...`: reads FastVPS change logs (`<n> NEW|MOD|REM <path>` lines) into the change journal.
using System.CommandLine;
using TimeTravel.Kernel.FastVps;
using TimeTravel.Kernel.Journal;
using TimeTravel.Store;

namespace TimeTravel.Cli.Commands;

public static class ImportLogCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "FastVPS logs: /var/log/backup/YYYY-MM-DD.log or debugfs backup/logN", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("import-log", "Import FastVPS kernel change logs into the change journal") { files };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            using var journal = ChangeJournal.Open(repo.Layout.Journal);
            var result = LogImporter.Import(r.GetValue(files)!, journal);
            foreach (var e in result.Errors) Console.Error.WriteLine($"timetravel: {e.Message}");
            Console.WriteLine($"{result.Imported} changes imported" + (result.Clean ? "" : $"; {result.Errors.Count} malformed lines: the next snapshot walks every source"));
            return result.Clean ? CommonOptions.Ok : CommonOptions.Failed;
        }));
        return cmd;
    }
}
