// A source and a store (no tracker: every undo snapshot is a walk) for the rollback engine tests; checkpoints are
// real snapshots, rollbacks run through RollbackCommand.Execute as `timetravel rollback` does.
using TimeTravel.Cli.Commands;
using TimeTravel.Kernel.Planning;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Rollback;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Tests.Store.Rollback;

public sealed class RollbackSandbox : IDisposable
{
    private readonly TempDir _dir = new("tt-rb");
    public string Source { get; }
    public string Store { get; }
    public List<string> Messages { get; } = [];

    public RollbackSandbox(bool storeInSource = false, params string[] excludes)
    {
        Source = _dir["src"];
        Directory.CreateDirectory(Source);
        Store = storeInSource ? Path.Combine(Source, "store") : _dir["store"];
        using var repo = Repository.Init(Store);
        repo.AddSource(new SourceRecord(Source, excludes));
    }

    public string this[string relative] => Path.Combine(Source, relative);
    public byte[] Bytes(string relative) => PathBytes.From(this[relative]);

    /// <summary>A snapshot of the sources now, pinned (what `timetravel checkpoint` makes).</summary>
    public SnapshotRecord Checkpoint()
    {
        using var repo = Repository.OpenWriter(Store, "test checkpoint");
        var s = IncrementalSnapshot.Take(repo, new SnapshotOptions(), new SnapshotPolicy(false, TimeSpan.MaxValue), new SnapshotProgress(), Messages.Add).Record;
        repo.Pin(s, "checkpoint");
        return s;
    }

    public RollbackResult Rollback(SnapshotRecord target, RollbackRequest? request = null)
    {
        using var repo = Repository.OpenWriter(Store, "test rollback");
        return RollbackCommand.Execute(repo, repo.Catalog.Snapshots().Single(s => s.Id == target.Id), request ?? new RollbackRequest(), Messages.Add);
    }

    public RollbackResult Undo()
    {
        using var repo = Repository.OpenWriter(Store, "test rollback --undo");
        return RollbackCommand.Execute(repo, RollbackEngine.UndoTarget(repo), new RollbackRequest(), Messages.Add);
    }

    public IReadOnlyList<SnapshotRecord> Snapshots()
    {
        using var repo = Repository.OpenReader(Store);
        return repo.Catalog.Snapshots();
    }

    public void Dispose() => _dir.Dispose();
}
