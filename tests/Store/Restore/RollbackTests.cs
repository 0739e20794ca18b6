// RemoveExtra, the rollback `yesterday -c` does on a directory: what was made since the snapshot is moved aside as
// NAME.yesterday~ (or removed without backups), listed by a dry run, and never followed through a symlink; earlier
// backups stay. Regression: `yesterday -c -1126 sub` left sub/new in place.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Restore;

[NeedsFuse]
public sealed class RollbackTests : IDisposable
{
    private readonly TempDir _dir = new("tt-rollback");
    private readonly string _sub;

    public RollbackTests()
    {
        _sub = _dir["src/sub"];
        Directory.CreateDirectory(_sub);
        File.WriteAllText(_sub + "/kept", "as it was\n");
        using var repo = Repository.Init(_dir["store"]);
        repo.Catalog.AddSource(new SourceRecord(_dir["src"], []));
        new SnapshotWriter(repo, new SnapshotOptions { Time = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) }).Run();
        // Since then: a new file, a new directory with something in it, an edit, a link to outside.
        File.WriteAllText(_sub + "/new", "made later\n");
        Directory.CreateDirectory(_sub + "/newdir/deeper");
        File.WriteAllText(_sub + "/newdir/deeper/f", "x\n");
        File.WriteAllText(_sub + "/kept", "edited\n");
        Directory.CreateDirectory(_dir["outside"]);
        File.WriteAllText(_dir["outside/precious"], "not ours\n");
        File.CreateSymbolicLink(_sub + "/link-out", _dir["outside"]);
        File.WriteAllText(_sub + "/old.yesterday~", "an earlier backup\n");
        File.WriteAllText(_sub + "/old.yesterday~1~", "a later backup\n");
    }

    private IReadOnlyList<RestoreAction> Rollback(RestoreOptions options)
    {
        using var repo = Repository.OpenReader(_dir["store"]);
        var node = repo.Trees.Resolve(repo.FindSnapshot("latest").Root, PathBytes.Components(PathBytes.From(_sub)))!;
        return Restorer.Restore(repo, node, PathBytes.From(_sub), options with { RemoveExtra = true });
    }

    private string[] Names() => Directory.GetFileSystemEntries(_sub).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void EntriesTheSnapshotDoesNotHaveAreMovedAsideAsYesterdayBackups()
    {
        var actions = Rollback(new RestoreOptions());
        Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions));
        Assert.Equal(["kept", "kept.yesterday~", "link-out.yesterday~", "new.yesterday~", "newdir.yesterday~", "old.yesterday~", "old.yesterday~1~"], Names());
        Assert.Equal("as it was\n", File.ReadAllText(_sub + "/kept"));
        Assert.Equal("x\n", File.ReadAllText(_sub + "/newdir.yesterday~/deeper/f"));
        Assert.Equal("an earlier backup\n", File.ReadAllText(_sub + "/old.yesterday~"));
        Assert.Equal(["link-out", "new", "newdir"], actions.Where(a => a.Kind == RestoreAction.Remove).Select(a => Path.GetFileName(a.Path)));
        Assert.Contains(actions, a => a.Kind == RestoreAction.Remove && a.Detail == "kept as new.yesterday~");
    }

    [Fact]
    public void ASecondRollbackKeepsTheFirstBackupsAndNumbersTheNewOnes()
    {
        Rollback(new RestoreOptions());
        File.WriteAllText(_sub + "/new", "made again\n");
        File.WriteAllText(_sub + "/kept", "edited again\n");
        var actions = Rollback(new RestoreOptions());
        Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions));
        Assert.Equal("made later\n", File.ReadAllText(_sub + "/new.yesterday~"));
        Assert.Equal("made again\n", File.ReadAllText(_sub + "/new.yesterday~1~"));
        Assert.Equal("edited\n", File.ReadAllText(_sub + "/kept.yesterday~"));
        Assert.Equal("edited again\n", File.ReadAllText(_sub + "/kept.yesterday~1~"));
        Assert.Contains(actions, a => a.Kind == RestoreAction.Remove && a.Detail == "kept as new.yesterday~1~");
    }

    [Fact]
    public void WithoutBackupsTheyAreRemovedAndALinkOutIsRemovedNotFollowed()
    {
        var actions = Rollback(new RestoreOptions { KeepBackup = false });
        Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions));
        Assert.Equal(["kept", "old.yesterday~", "old.yesterday~1~"], Names());
        Assert.Equal("not ours\n", File.ReadAllText(_dir["outside/precious"]));
    }

    [Fact]
    public void ADryRunListsWhatWouldBeRemovedAndChangesNothing()
    {
        var before = Names();
        var actions = Rollback(new RestoreOptions { DryRun = true });
        Assert.Equal(before, Names());
        Assert.Equal(["link-out", "new", "newdir"], actions.Where(a => a.Kind == RestoreAction.Remove).Select(a => Path.GetFileName(a.Path)));
        Assert.Equal("edited\n", File.ReadAllText(_sub + "/kept"));
    }

    [Fact]
    public void WithoutRemoveExtraADirectoryIsMerged()
    {
        using var repo = Repository.OpenReader(_dir["store"]);
        var node = repo.Trees.Resolve(repo.FindSnapshot("latest").Root, PathBytes.Components(PathBytes.From(_sub)))!;
        Restorer.Restore(repo, node, PathBytes.From(_sub), new RestoreOptions());
        Assert.Contains("new", Names());
        Assert.Contains("newdir", Names());
    }

    [Fact]
    public void WhatTheCallerSaysNoSnapshotWouldRecordStays()
    {
        var actions = Rollback(new RestoreOptions { MayRemove = (_, name) => !name.AsSpan().SequenceEqual("new"u8) });
        Assert.Contains("new", Names());
        Assert.DoesNotContain("newdir", Names());
        Assert.DoesNotContain(actions, a => a.Path.EndsWith("/new"));
    }

    [Fact]
    public void ASocketAndAnotherFilesystemMountedInsideAreNeverTouched()
    {
        // A snapshot records neither a socket nor what is inside a mount point: their absence means nothing.
        Directory.CreateDirectory(_sub + "/mnt");
        Shell.Run("mount", "-t", "tmpfs", "-o", "size=1m", "tt-rollback", _sub + "/mnt");
        try
        {
            File.WriteAllText(_sub + "/mnt/on-tmpfs", "not in any snapshot\n");
            PosixFs.MakeNode(PathBytes.From(_sub + "/sock"), 0xC000 | 0x1ED, 0);
            var actions = Rollback(new RestoreOptions { KeepBackup = false });
            Assert.False(Restorer.AnyFailed(actions), string.Join("\n", actions));
            Assert.Equal(["kept", "mnt", "old.yesterday~", "old.yesterday~1~", "sock"], Names());
            Assert.Equal("not in any snapshot\n", File.ReadAllText(_sub + "/mnt/on-tmpfs"));
        }
        finally { Shell.Try("umount", "-l", _sub + "/mnt"); }
    }

    public void Dispose() => _dir.Dispose();
}
