// Restores a node of a snapshot (a file, symlink, fifo, device, or a directory with everything below it) at a
// destination path with all its metadata. Two passes: the first reads every directory to be restored and checks
// every name and every existing directory on the way, so a damaged store or a symlink in the way is refused before
// anything is written; the second writes (or, for a dry run, lists). Files are written beside their final name and
// renamed over it, so a reader sees the old file or the new one, never half of it.
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

    public static IReadOnlyList<RestoreAction> Restore(TreeReader trees, Node node, byte[] destinationPath, RestoreOptions options, Action<string>? report = null)
    {
        int end = destinationPath.Length;
        while (end > 1 && destinationPath[end - 1] == (byte)'/') end--;
        if (end == 0) throw new ArgumentException("the destination path is empty", nameof(destinationPath));
        var destination = destinationPath[..end];
        var run = new RestoreRun(trees, options, report ?? (_ => { }));
        run.Check(node, destination, mayExist: true);
        run.Restore(node, destination, parentIsNew: false);
        return run.Actions;
    }

    public static bool AnyFailed(IEnumerable<RestoreAction> actions) => actions.Any(a => a.Kind == RestoreAction.Failed);
}
