// Restores at the edges: a missing parent named as such (regression: the message named the temporary
// .tt-restore-… file), a pre-1970 mtime with nanoseconds (regression: utimensat EINVAL from a negative tv_nsec),
// and a tree read through the filesystem (MountedTreeSource) instead of the store.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Fs.Mounting.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Restore;

[NeedsFuse]
public sealed class RestoreEdgeTests : IDisposable
{
    private readonly TempDir _dir = new("tt-redge");
    public void Dispose() => _dir.Dispose();

    private Repository SnapshotOf(string src)
    {
        using (var w = Repository.Init(_dir["store"]))
        {
            w.Catalog.AddSource(new SourceRecord(src, []));
            new SnapshotWriter(w, new SnapshotOptions()).Run();
        }
        return Repository.OpenReader(_dir["store"]);
    }

    [Fact]
    public void AMissingParentIsNamedNotTheTemporaryFile()
    {
        Directory.CreateDirectory(_dir["src"]);
        File.WriteAllText(_dir["src/f"], "x\n");
        using var repo = SnapshotOf(_dir["src"]);
        var node = repo.Trees.Resolve(repo.FindSnapshot("latest").Root, PathBytes.Components(PathBytes.From(_dir["src/f"])))!;
        var e = Assert.ThrowsAny<IOException>(() => Restorer.Restore(repo, node, _dir.Bytes("no/such/dir/f"), new RestoreOptions()));
        Assert.Contains(_dir["no/such/dir/f"], e.Message);
        Assert.Contains($"the directory {_dir["no/such/dir"]} does not exist", e.Message);
        Assert.DoesNotContain(".tt-restore-", e.Message);
    }

    [Fact]
    public void AMtimeBefore1970WithNanosecondsIsRestored()
    {
        Directory.CreateDirectory(_dir["src"]);
        File.WriteAllText(_dir["src/old"], "from the sixties\n");
        Shell.Run("touch", "-h", "-d", "@-100000000.25", _dir["src/old"]);
        long recorded = PosixFs.LStat(_dir.Bytes("src/old")).MTimeNs;
        Assert.Equal(-100_000_000_250_000_000L, recorded); // -100000001 s + 750000000 ns for utimensat
        using var repo = SnapshotOf(_dir["src"]);
        var node = repo.Trees.Resolve(repo.FindSnapshot("latest").Root, PathBytes.Components(_dir.Bytes("src/old")))!;
        var actions = Restorer.Restore(repo, node, _dir.Bytes("old"), new RestoreOptions());
        Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions.Select(a => a.Detail)));
        Assert.Equal(recorded, PosixFs.LStat(_dir.Bytes("old")).MTimeNs);
    }

    [Fact]
    public void ATreeReadThroughTheFilesystemComesBackWithItsMetadataAndHardLinks()
    {
        var tree = EveryKindTree.Create(_dir["src"]);
        File.Delete(Path.Combine(tree.Root, "socket")); // no restore makes sockets
        var source = new MountedTreeSource();
        var node = source.NodeAt(tree.RootBytes)!;
        var actions = Restorer.Restore(source, node, _dir.Bytes("dest"), new RestoreOptions());
        Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions.Select(a => a.Detail)));
        TreeManifest.AssertSame(tree.Root, _dir["dest"]);
        var again = Restorer.Restore(source, source.NodeAt(tree.RootBytes)!, _dir.Bytes("dest"), new RestoreOptions { OnlyIfDifferent = true });
        Assert.All(again, a => Assert.Equal(RestoreAction.Unchanged, a.Kind));
    }
}
