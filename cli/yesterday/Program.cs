// yesterday(1): where a file was in an earlier snapshot, and what to do with it — print the path, diff, copy back,
// or run a command with the old version bind-mounted over the current one. After Plan 9's yesterday.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Yesterday;

public static class Program
{
    public static int Main(string[] argv)
    {
        // Names are bytes: an argument that is not UTF-8 comes through as it was typed (CommandLineBytes).
        argv = CommandLineBytes.Arguments(argv);
        // Plan 9 dates come as -0812; System.CommandLine wants an option name, and the -b command follows "--".
        int dashdash = Array.IndexOf(argv, "--");
        var own = (dashdash < 0 ? argv : argv[..dashdash])
            .SelectMany(a => a.Length > 1 && a[0] == '-' && a[1..].All(char.IsAsciiDigit) ? new[] { "--date", a[1..] } : [a]).ToArray();
        string[] command = dashdash < 0 ? [] : argv[(dashdash + 1)..];

        var files = new Argument<string[]>("file") { Description = "Files or directories (relative to the current directory, or inside the mount)", Arity = ArgumentArity.OneOrMore };
        var store = new Option<string>("--store", "-s") { Description = "The store (default: $TIMETRAVEL_STORE or /var/lib/timetravel)" };
        var bind = new Option<bool>("-b") { Description = "Run the command after -- once, with the old version of every FILE bind-mounted over it (private mount namespace)" };
        var copy = new Option<bool>("-c") { Description = "Copy the old version back over the file; a directory is rolled back (keeps NAME.yesterday~)" };
        var copyIfDiffers = new Option<bool>("-C") { Description = "Like -c, only where they differ" };
        var diff = new Option<bool>("-d") { Description = "diff -u the old version against the current file" };
        var diffTree = new Option<bool>("-D") { Description = "Recursive diff of a directory" };
        var history = new Option<bool>("-a") { Description = "List every distinct version (like timetravel history)" };
        var daysAgo = new Option<string?>("-n") { Description = "The newest snapshot at least DAYS[:HOURS] ago" };
        var date = new Option<string[]>("--date") { Description = "A Plan 9 date: d, dd, mmdd, yymmdd or yyyymmdd (also written -DATE)" };
        var at = new Option<string?>("--at") { Description = "The newest snapshot at or before this date and time" };
        var host = new Option<string?>("--host") { Description = "Another host's snapshots, in a store several hosts write into (default: this store's own host)" };
        var noBackup = new Option<bool>("--no-backup") { Description = "With -c/-C: do not keep replaced or removed files as NAME.yesterday~" };
        var root = new RootCommand("yesterday: the version of a file in an earlier snapshot")
        {
            files, store, bind, copy, copyIfDiffers, diff, diffTree, history, daysAgo, date, at, host, noBackup,
        };
        root.SetAction(r =>
        {
            try
            {
                var now = DateTimeOffset.Now;
                var modes = new[] { (history, Mode.History), (bind, Mode.Bind), (copy, Mode.Copy), (copyIfDiffers, Mode.CopyIfDiffers), (diff, Mode.Diff), (diffTree, Mode.DiffTree) }
                    .Where(m => r.GetValue(m.Item1)).ToList();
                if (modes.Count > 1) throw new ChoiceException($"{string.Join(" and ", modes.Select(m => m.Item1.Name))} cannot be combined: choose one");
                var mode = modes.Count == 1 ? modes[0].Item2 : Mode.Print;

                string[] dates = r.GetValue(date) ?? [];
                string? n = r.GetValue(daysAgo), t = r.GetValue(at);
                int whens = dates.Length + (n is null ? 0 : 1) + (t is null ? 0 : 1);
                if (whens > 1) throw new ChoiceException("-n, -DATE and --at each choose the snapshot: give one");
                if (whens > 0 && mode == Mode.History) throw new ChoiceException("-a lists every version; it takes no -n, -DATE or --at");
                SnapshotChoice choice = new SnapshotChoice.Newest();
                if (n is not null) choice = SnapshotChoice.ParseDaysAgo(n);
                if (dates.Length == 1) choice = SnapshotChoice.ParsePlan9Date(dates[0], DateOnly.FromDateTime(now.DateTime));
                if (t is not null) choice = SnapshotChoice.ParseAt(t);
                if (r.GetValue(noBackup) && mode is not (Mode.Copy or Mode.CopyIfDiffers)) throw new ChoiceException("--no-backup goes with -c or -C");
                if (mode == Mode.Bind && command.Length == 0) throw new ChoiceException("-b needs a command after --");
                if (mode != Mode.Bind && command.Length > 0) throw new ChoiceException("a command after -- goes with -b");

                string storeRoot = r.GetValue(store) ?? (Environment.GetEnvironmentVariable("TIMETRAVEL_STORE") is { Length: > 0 } e ? e : StoreLayout.DefaultRoot);
                if (CommandLineBytes.HasRawBytes(storeRoot)) throw new ChoiceException($"--store {PathBytes.Quoted(CommandLineBytes.Bytes(storeRoot))}: the store must be a UTF-8 path");
                using var past = Past.Open(storeRoot, r.GetValue(host));
                return new Yesterday(past, Console.Out, Console.Error, r.GetValue(noBackup)).Run(r.GetValue(files)!, choice, now, mode, command);
            }
            catch (Exception e) when (e is ChoiceException or StoreException or StoreFormatException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Console.Out.Flush();
                Console.Error.WriteLine($"yesterday: {e.Message}");
                return 1;
            }
        });
        return root.Parse(own).Invoke();
    }
}
