// `timetravel restore SNAPSHOT PATH [--to DEST] [--dry-run]`: puts a file or a whole directory back as it was,
// with owners, modes, times, xattrs, hard links and holes; at its original place by default. A replaced file is
// kept as NAME.yesterday~. A directory is merged into what is there (`yesterday -c` rolls back instead).
// --to follows cp: an existing directory means into it (DEST/NAME). Exit 0 done, 3 when some paths could not be
// restored (named on stderr), 1 refused.
using System.CommandLine;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;

namespace TimeTravel.Cli.Commands;

public static class RestoreCommand
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "Snapshot name, id, or latest" };
        var path = new Argument<string>("path") { Description = "The path as it was (absolute, or relative to the current directory)" };
        var to = new Option<string?>("--to") { Description = "Restore to this path instead of the original one: into DEST when it is an existing directory (DEST/NAME), else at DEST" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only list what would be created or replaced" };
        var noBackup = new Option<bool>("--no-backup") { Description = "Do not keep replaced files as NAME.yesterday~" };
        var ifDifferent = new Option<bool>("--if-different") { Description = "Leave files that already match the snapshot alone" };
        var cmd = new Command("restore", "Restore a file or directory from a snapshot") { snapshot, path, to, dryRun, noBackup, ifDifferent };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(r.GetValue(CommonOptions.Store)!);
            var snap = repo.FindSnapshot(r.GetValue(snapshot)!);
            string source = HistoryCommand.AbsolutePath(r.GetValue(path)!);
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(PathBytes.FromDisplay(source)))
                ?? throw new StoreException($"{source}: not in snapshot {snap.Name}; `timetravel history {source}` lists where it is");
            string destination = r.GetValue(to) is { } t ? Destination(source, t) : source;
            bool dry = r.GetValue(dryRun);
            var options = new RestoreOptions { DryRun = dry, KeepBackup = !r.GetValue(noBackup), OnlyIfDifferent = r.GetValue(ifDifferent) };
            var actions = Restorer.Restore(repo, node, PathBytes.FromDisplay(destination), options, m => Console.Error.WriteLine($"timetravel: {m}"));
            foreach (var a in actions.Where(a => a.Kind != RestoreAction.Unchanged || dry))
                Console.WriteLine($"{(dry && a.Kind is not (RestoreAction.Unchanged or RestoreAction.Failed) ? "would " : "")}{a.Kind} {a.Path}");
            int Count(string kind) => actions.Count(a => a.Kind == kind);
            Console.Error.WriteLine($"{(dry ? "dry run: " : "")}{Count(RestoreAction.Create)} created, {Count(RestoreAction.Replace)} replaced, " +
                $"{Count(RestoreAction.Unchanged)} unchanged, {Count(RestoreAction.Skip)} skipped, {Count(RestoreAction.Failed)} failed " +
                $"(from snapshot {snap.Name})");
            return Restorer.AnyFailed(actions) ? CommonOptions.Partial : CommonOptions.Ok;
        }));
        return cmd;
    }

    /// <summary>
    /// Where --to puts the restored path, as cp and rsync do: into DEST (DEST/NAME) when DEST is an existing directory
    /// and not the restored path itself, else at DEST. The snapshot's root has no name: it lands at DEST. A trailing
    /// slash promises a directory: refused when there is none, rather than guessed.
    /// </summary>
    public static string Destination(string source, string typed)
    {
        string dest = HistoryCommand.AbsolutePath(typed);
        if (dest == source || source == "/") return dest;
        if (Directory.Exists(dest)) return (dest == "/" ? "" : dest) + "/" + Path.GetFileName(source);
        if (typed.EndsWith('/'))
            throw new StoreException($"{typed}: no such directory; create it to restore {Path.GetFileName(source)} into it, or drop the slash to restore it under that name");
        return dest;
    }
}
