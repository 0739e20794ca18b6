// A checkpoint is a snapshot taken now and pinned, so no retention policy removes it until it is released: the mark
// before something that might go wrong (an upgrade, a script). A post snapshot names the checkpoint it pairs with.
using TimeTravel.Cli.Commands;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Checkpoints;

public static class Checkpoint
{
    /// <summary>Takes a snapshot as `timetravel snapshot` does, with the note recorded and pinned with it.</summary>
    public static SnapshotRecord Take(Repository repo, string? note)
    {
        var s = SnapshotRun.Take(repo, new SnapshotOptions { Note = note }, SnapshotRun.DefaultPolicy);
        repo.Pin(s, note);
        return repo.Catalog.Snapshots().FirstOrDefault(x => x.Id == s.Id) ?? s;
    }

    /// <summary>Takes the snapshot after a checkpoint's change, naming the checkpoint (preId; 0: none known) and noting what happened.</summary>
    public static SnapshotRecord TakePost(Repository repo, long preId, string? note) =>
        SnapshotRun.Take(repo, new SnapshotOptions { Note = note, PreId = preId }, SnapshotRun.DefaultPolicy);
}
