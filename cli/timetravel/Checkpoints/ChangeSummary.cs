// What a command changed, as `timetravel diff` between the checkpoint and the snapshot after it would list it: the
// counts of added, removed and changed paths and the first few lines. TreeDiff skips identical subtrees, so this costs
// what changed.
using TimeTravel.Cli.Commands;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;

namespace TimeTravel.Cli.Checkpoints;

public sealed record ChangeSummary(int Added, int Removed, int Changed, IReadOnlyList<string> First)
{
    public int Total => Added + Removed + Changed;

    public static ChangeSummary Between(Repository repo, SnapshotRecord before, SnapshotRecord after, int firstLines = 10)
    {
        int added = 0, removed = 0, changed = 0;
        var first = new List<string>();
        foreach (var c in TreeDiff.Of(repo).Between(before, after))
        {
            switch (c.Kind)
            {
                case TreeChangeKind.Added: added++; break;
                case TreeChangeKind.Removed: removed++; break;
                default: changed++; break;
            }
            if (first.Count < firstLines) first.Add(DiffCommand.Line(c));
        }
        return new ChangeSummary(added, removed, changed, first);
    }

    /// <summary>"3 added, 1 removed, 2 changed" and the first lines, then "... and N more (timetravel diff A B)".</summary>
    public IEnumerable<string> Lines(SnapshotRecord before, SnapshotRecord after)
    {
        yield return Total == 0 ? $"no changes between {before.Name} and {after.Name}"
            : $"changes between {before.Name} and {after.Name}: {Added} added, {Removed} removed, {Changed} changed";
        foreach (var l in First) yield return "  " + l;
        if (Total > First.Count) yield return $"  ... and {Total - First.Count} more (timetravel diff {before.Id} {after.Id})";
    }
}
