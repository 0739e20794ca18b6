// yesterday(1): where a file was in an earlier snapshot, and what to do with it — print the path, diff, copy back,
// or run a command with the old version bind-mounted over the current one. After Plan 9's yesterday.
using System.CommandLine;
using TimeTravel.Store;

namespace TimeTravel.Yesterday;

public static class Program
{
    public static int Main(string[] argv)
    {
        // Plan 9 dates come as -0812; System.CommandLine wants an option name, and the -b command follows "--".
        int dashdash = Array.IndexOf(argv, "--");
        var own = (dashdash < 0 ? argv : argv[..dashdash])
            .SelectMany(a => a.Length > 1 && a[0] == '-' && a[1..].All(char.IsAsciiDigit) ? new[] { "--date", a[1..] } : [a]).ToArray();
        string[] command = dashdash < 0 ? [] : argv[(dashdash + 1)..];

        var files = new Argument<string[]>("file") { Description = "Files or directories (relative to the current directory, or inside the mount)", Arity = ArgumentArity.OneOrMore };
        var store = new Option<string>("--store", "-s") { Description = "The store (default: $TIMETRAVEL_STORE or /var/lib/timetravel)" };
        var bind = new Option<bool>("-b") { Description = "Run the command after -- with the old version bind-mounted over the file (private mount namespace)" };
        var copy = new Option<bool>("-c") { Description = "Copy the old version back over the file (keeps NAME.yesterday~)" };
        var copyIfDiffers = new Option<bool>("-C") { Description = "Like -c, only where they differ" };
        var diff = new Option<bool>("-d") { Description = "diff -u the old version against the current file" };
        var diffTree = new Option<bool>("-D") { Description = "Recursive diff of a directory" };
        var history = new Option<bool>("-a") { Description = "List every distinct version (like timetravel history)" };
        var daysAgo = new Option<string?>("-n") { Description = "The newest snapshot at least DAYS[:HOURS] ago" };
        var date = new Option<string?>("--date") { Description = "A Plan 9 date: d, dd, mmdd, yymmdd or yyyymmdd (also written -DATE)" };
        var at = new Option<string?>("--at") { Description = "The newest snapshot at or before this date and time" };
        var noBackup = new Option<bool>("--no-backup") { Description = "With -c/-C: do not keep the replaced file as NAME.yesterday~" };
        var root = new RootCommand("yesterday: the version of a file in an earlier snapshot")
        {
            files, store, bind, copy, copyIfDiffers, diff, diffTree, history, daysAgo, date, at, noBackup,
        };
        root.SetAction(r =>
        {
            try
            {
                SnapshotChoice choice = new SnapshotChoice.Newest();
                var now = DateTimeOffset.Now;
                if (r.GetValue(daysAgo) is { } n) choice = SnapshotChoice.ParseDaysAgo(n);
                if (r.GetValue(date) is { } d) choice = SnapshotChoice.ParsePlan9Date(d, DateOnly.FromDateTime(now.DateTime));
                if (r.GetValue(at) is { } t)
                {
                    if (!DateTimeOffset.TryParse(t, out var time)) throw new ChoiceException($"--at: cannot read '{t}' as a date and time");
                    choice = new SnapshotChoice.AtOrBefore(time);
                }
                var mode = r.GetValue(bind) ? Mode.Bind : r.GetValue(copy) ? Mode.Copy : r.GetValue(copyIfDiffers) ? Mode.CopyIfDiffers
                    : r.GetValue(diff) ? Mode.Diff : r.GetValue(diffTree) ? Mode.DiffTree : r.GetValue(history) ? Mode.History : Mode.Print;
                if (mode == Mode.Bind && command.Length == 0) throw new ChoiceException("-b needs a command after --");
                string storeRoot = r.GetValue(store) ?? (Environment.GetEnvironmentVariable("TIMETRAVEL_STORE") is { Length: > 0 } e ? e : StoreLayout.DefaultRoot);
                using var repo = Repository.OpenReader(storeRoot);
                var run = new Yesterday(repo, Console.Out, Console.Error, r.GetValue(noBackup));
                int status = 0;
                foreach (var f in r.GetValue(files)!) status = Math.Max(status, run.Do(f, choice, now, mode, command));
                return status;
            }
            catch (Exception e) when (e is ChoiceException or StoreException or StoreFormatException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Error.WriteLine($"yesterday: {e.Message}");
                return 1;
            }
        });
        return root.Parse(own).Invoke();
    }
}
