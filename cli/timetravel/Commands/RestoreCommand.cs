// `timetravel restore SNAPSHOT PATH [--to DEST] [--dry-run]`: puts a file or a whole directory back as it was,
// with owners, modes, times, xattrs, hard links and holes; at its original place by default. A replaced file is
// kept as NAME.yesterday~. A directory is merged into what is there (`yesterday -c` rolls back instead).
// --to follows cp: an existing directory means into it (DEST/NAME), except one that holds an unfinished restore of
// the same directory: running an interrupted restore again finishes it. Exit 0 done, 3 when some paths could not be
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
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var snap = repo.FindSnapshot(r.GetValue(snapshot)!);
            byte[] source = PathArguments.InSnapshots(repo, r.GetValue(path)!, b => repo.Trees.Resolve(snap.Root, PathBytes.Components(b)) is not null);
            string shown = PathBytes.Quoted(source);
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(source))
                ?? throw new StoreException($"{shown}: not in snapshot {snap.Name}; `timetravel history {shown}` lists where it is");
            byte[] destination = r.GetValue(to) is { } t ? Destination(source, t) : source;
            bool dry = r.GetValue(dryRun);
            var options = new RestoreOptions { DryRun = dry, KeepBackup = !r.GetValue(noBackup), OnlyIfDifferent = r.GetValue(ifDifferent) };
            var actions = Restorer.Restore(repo, node, destination, options, m => Console.Error.WriteLine($"timetravel: {m}"));
            foreach (var a in actions.Where(a => a.Kind != RestoreAction.Unchanged || dry))
                Console.WriteLine($"{(dry && a.Kind is not (RestoreAction.Unchanged or RestoreAction.Failed) ? "would " : "")}{a.Kind} {PathBytes.Quoted(PathBytes.FromDisplay(a.Path))}");
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
    /// and not the restored path itself, else at DEST. The snapshot's root has no name: it lands at DEST. A DEST that
    /// holds an unfinished restore is where it goes: to finish it, when it is this directory's. A trailing slash promises a
    /// directory: refused when there is none, rather than guessed.
    /// </summary>
    public static byte[] Destination(byte[] source, string typed)
    {
        byte[] dest = PathArguments.OnDisk(typed);
        if (dest.AsSpan().SequenceEqual(source) || source is [(byte)'/']) return dest;
        byte[] name = PathBytes.Components(source)[^1];
        if (IsDirectory(dest))
        {
            if (UnfinishedRestore.Of(dest) is null) return PathBytes.Join(dest, name);
            // Never into the half of another restore; the restorer refuses a different tree with its name.
            return dest;
        }
        if (typed.EndsWith('/'))
            throw new StoreException($"{PathBytes.Quoted(dest)}/: no such directory; create it to restore {PathBytes.Quoted(name)} into it, or drop the slash to restore it under that name");
        return dest;
    }

    // A directory, or a symlink to one (the user named it).
    private static bool IsDirectory(byte[] path) =>
        PosixFs.TryLStat(path, out var st) && (st.Kind == FileKind.Directory
            || (st.Kind == FileKind.Symlink && PosixFs.TryRealPath(path, out _) is { } real && PosixFs.TryLStat(real, out var t) && t.Kind == FileKind.Directory));
}
