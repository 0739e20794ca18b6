// What a snapshot holds: its files (every entry that is not a directory), its directories ("/" and the directories on
// the way to the sources included) and the bytes of its regular files. Counted from the trees, never from what the
// snapshot visited: a journal snapshot visits only what changed, yet holds the same tree a walk would. The count
// carries forward: the previous snapshot's totals plus what the tree diff added, less what it removed (the diff
// skips equal subtrees by score, so this costs what changed); a full count when there is nothing to carry forward.
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Snapshots;

public readonly record struct SnapshotTotals(long Files, long Directories, long Bytes)
{
    public static SnapshotTotals operator +(SnapshotTotals a, SnapshotTotals b) => new(a.Files + b.Files, a.Directories + b.Directories, a.Bytes + b.Bytes);
    public static SnapshotTotals operator -(SnapshotTotals a, SnapshotTotals b) => new(a.Files - b.Files, a.Directories - b.Directories, a.Bytes - b.Bytes);

    /// <summary>The totals of the tree at <paramref name="node"/>, reading every directory below it.</summary>
    public static SnapshotTotals Count(TreeReader trees, Node node)
    {
        if (node.Kind != FileKind.Directory) return new(1, 0, node.Kind == FileKind.Regular ? node.Size : 0);
        var total = new SnapshotTotals(0, 1, 0);
        if (node.Content.IsEmpty) return total;
        foreach (var child in trees.ReadDirectory(node.Content)) total += Count(trees, child);
        return total;
    }

    /// <summary>These totals (of the tree the diff starts from) moved to the tree it ends at.</summary>
    public SnapshotTotals Apply(TreeReader trees, IEnumerable<TreeChange> changes)
    {
        var total = this;
        foreach (var c in changes)
        {
            if (c.Before is { } before && c.Kind == TreeChangeKind.Removed) total -= Count(trees, before);
            else if (c.After is { } after && c.Kind == TreeChangeKind.Added) total += Count(trees, after);
            else if (c is { Kind: TreeChangeKind.Changed, Before.Kind: FileKind.Regular, After: { } a, Before: { } b })
                total += new SnapshotTotals(0, 0, a.Size - b.Size);
        }
        return total;
    }
}
