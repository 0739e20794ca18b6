// Restores a node of a snapshot (a file, symlink, fifo, device, or a directory with everything below it) at a
// destination path with all its metadata. Two passes: the first reads every directory to be restored and checks
// every name and every existing directory on the way, so a damaged store or a symlink in the way is refused before
// anything is written; the second writes (or, for a dry run, lists). Files are written beside their final name and
// renamed over it, so a reader sees the old file or the new one, never half of it.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

public static class Restorer
{
    /// <summary>
    /// Restores `node` at `destinationPath` (the node's own name is not used). Returns what was done per path; a
    /// "failed" action means that path could not be restored (damaged blocks, a system call failing) while the rest
    /// was. Throws RestoreRefusedException when going on could write outside the destination.
    /// </summary>
    public static IReadOnlyList<RestoreAction> Restore(Repository repo, Node node, byte[] destinationPath, RestoreOptions options, Action<string>? report = null) =>
        Restore(repo.Trees, node, destinationPath, options, report);

    public static IReadOnlyList<RestoreAction> Restore(TreeReader trees, Node node, byte[] destinationPath, RestoreOptions options, Action<string>? report = null) =>
        Restore(new StoreTreeSource(trees), node, destinationPath, options, report);

    /// <summary>Restores `node` as `source` describes it (the store, or a snapshot read through the mount).</summary>
    public static IReadOnlyList<RestoreAction> Restore(IRestoreSource source, Node node, byte[] destinationPath, RestoreOptions options, Action<string>? report = null)
    {
        int end = destinationPath.Length;
        while (end > 1 && destinationPath[end - 1] == (byte)'/') end--;
        if (end == 0) throw new ArgumentException("the destination path is empty", nameof(destinationPath));
        var destination = destinationPath[..end];
        int slash = destination.AsSpan().LastIndexOf((byte)'/');
        if (slash > 0 && !IsDirectory(destination[..slash]))
            throw new IOException($"{PathBytes.Display(destination)}: cannot restore there: the directory {PathBytes.Display(destination.AsSpan(0, slash))} does not exist");
        // A directory that holds an unfinished restore of this very tree: finish it. Everything in it was written by
        // that restore, so what already matches stays, the rest is written without backups, and its leftovers go.
        bool resuming = false;
        if (UnfinishedRestore.Of(destination) is { } unfinished)
        {
            if (node.Kind != FileKind.Directory || !UnfinishedRestore.IsOf(destination, node))
                throw new RestoreRefusedException(destination, $"holds an unfinished restore of another directory (tree {unfinished}); run that restore again to finish it, or remove it");
            resuming = true;
            options = options with { OnlyIfDifferent = true, KeepBackup = false };
        }
        var run = new RestoreRun(source, options, report ?? (_ => { })) { Top = destination, Resuming = resuming };
        run.Check(node, destination, mayExist: true);
        run.Restore(node, destination, parentIsNew: false);
        return run.Actions;
    }

    // The destination's parent may be a symlink to a directory: the user named it.
    private static bool IsDirectory(byte[] path) =>
        PosixFs.TryLStat(path, out var st) && (st.Kind == FileKind.Directory || (st.Kind == FileKind.Symlink && Directory.Exists(PathBytes.Display(path))));

    public static bool AnyFailed(IEnumerable<RestoreAction> actions) => actions.Any(a => a.Kind == RestoreAction.Failed);
}
