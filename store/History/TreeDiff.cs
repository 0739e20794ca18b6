// The differences between two trees, path by path, in name order. Directories with equal content scores are equal
// all the way down and are never opened, so comparing two snapshots costs in proportion to what changed.
// A name whose kind changed (a file replaced by a directory) is a removal plus an addition; an added or removed
// directory is one entry, not one per file inside. A directory is "changed" only for its own metadata: changes
// below it are reported as the entries they are.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.History;

public sealed class TreeDiff(TreeReader trees)
{
    public static TreeDiff Of(Repository repo) => new(repo.Trees);

    /// <summary>
    /// Also report a hard-linked file whose link count, ctime or link id moved while its content and metadata did
    /// not: a name added to or removed from its link group changes all three for every name of that file, so a
    /// rollback sees every member of a group whose membership changed. Such a change has neither flag set.
    /// </summary>
    public bool ReportLinkChanges { get; init; }

    /// <summary>
    /// Also report a directory whose mtime differs while its entries changed too (normally news only when the entries
    /// did not): a rollback sets it back. Such a change has neither flag set unless other metadata moved.
    /// </summary>
    public bool ReportDirectoryTimes { get; init; }

    /// <summary>Differences from snapshot `before` to snapshot `after`, below the absolute `path` ("/" for all).</summary>
    public IEnumerable<TreeChange> Between(SnapshotRecord before, SnapshotRecord after, byte[]? path = null)
    {
        path ??= "/"u8.ToArray();
        var components = PathBytes.Components(path);
        var a = trees.Resolve(before.Root, components);
        var b = trees.Resolve(after.Root, components);
        return Compare(a, b, components.Count == 0 ? "/"u8.ToArray() : path);
    }

    /// <summary>Differences from node `before` to node `after` (either may be null: absent), both at `path`.</summary>
    public IEnumerable<TreeChange> Compare(Node? before, Node? after, byte[] path)
    {
        if (before is null && after is null) yield break;
        if (before is null) { yield return new TreeChange(TreeChangeKind.Added, path, null, after); yield break; }
        if (after is null) { yield return new TreeChange(TreeChangeKind.Removed, path, before, null); yield break; }
        if (before.Kind != after.Kind)
        {
            yield return new TreeChange(TreeChangeKind.Removed, path, before, null);
            yield return new TreeChange(TreeChangeKind.Added, path, null, after);
            yield break;
        }
        bool metadata = NodeComparison.MetadataDiffers(before, after);
        if (before.Kind != FileKind.Directory)
        {
            bool content = NodeComparison.ContentDiffers(before, after);
            bool link = ReportLinkChanges && (before.LinkId != 0 || after.LinkId != 0)
                && (before.NLink != after.NLink || before.CTimeNs != after.CTimeNs || before.LinkId != after.LinkId);
            if (content || metadata || link)
                yield return new TreeChange(TreeChangeKind.Changed, path, before, after) { ContentChanged = content, MetadataChanged = metadata };
            yield break;
        }
        if (metadata || (ReportDirectoryTimes && before.MTimeNs != after.MTimeNs))
            yield return new TreeChange(TreeChangeKind.Changed, path, before, after) { MetadataChanged = metadata };
        if (before.Content == after.Content) yield break;
        var left = trees.ReadDirectory(before.Content);
        var right = trees.ReadDirectory(after.Content);
        int i = 0, j = 0;
        while (i < left.Length || j < right.Length)
        {
            int c = i == left.Length ? 1 : j == right.Length ? -1 : left[i].Name.AsSpan().SequenceCompareTo(right[j].Name);
            var l = c <= 0 ? left[i++] : null;
            var r = c >= 0 ? right[j++] : null;
            var child = PathBytes.Join(path, (l ?? r)!.Name);
            foreach (var change in Compare(l, r, child)) yield return change;
        }
    }
}
