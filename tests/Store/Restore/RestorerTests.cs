// Restorer against a real snapshot of a tree with every kind of file: everything comes back as lstat saw it,
// replacing is atomic and keeps NAME.yesterday~, OnlyIfDifferent leaves matching files alone, a dry run writes
// nothing, and a damaged block fails one path while the rest is restored.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.History;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Restore;

[NeedsRoot]
public class RestorerTests : IDisposable
{
    private readonly TempDir _dir = new("tt-restore");
    public void Dispose() => _dir.Dispose();

    private (EveryKindTree Tree, string Store) SnapshotOfEveryKind()
    {
        var tree = EveryKindTree.Create(_dir["src"]);
        string store = _dir["store"];
        using var repo = Repository.Init(store);
        repo.Catalog.AddSource(new SourceRecord(tree.Root, []));
        var result = new SnapshotWriter(repo, new SnapshotOptions { Time = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(1)) }).Run();
        Assert.True(result.Record.Complete, string.Join("\n", result.Problems));
        return (tree, store);
    }

    private static Node NodeAt(Repository repo, byte[] path) =>
        repo.Trees.Resolve(repo.FindSnapshot("latest").Root, PathBytes.Components(path)) ?? throw new Xunit.Sdk.XunitException($"{PathBytes.Display(path)} not in the snapshot");

    [Fact]
    public void EveryKindOfFileComesBackAsLstatSawItWithHardLinksAndHolesKept()
    {
        var (tree, store) = SnapshotOfEveryKind();
        using var repo = Repository.OpenReader(store);
        byte[] dest = _dir.Bytes("dest");
        var problems = new List<string>();
        var actions = Restorer.Restore(repo, NodeAt(repo, tree.RootBytes), dest, new RestoreOptions(), problems.Add);

        Assert.Empty(problems);
        Assert.All(actions, a => Assert.Equal(RestoreAction.Create, a.Kind));
        var paths = RestoreAssert.RelativePaths(tree.RootBytes).ToList();
        Assert.Equal(18, paths.Count);
        Assert.Equal(paths.Count + 1, actions.Count);
        foreach (var rel in paths) RestoreAssert.SameFile(PathBytes.Join(tree.RootBytes, rel), PathBytes.Join(dest, rel));
        RestoreAssert.SameFile(tree.RootBytes, dest); // the top directory's times are set after its contents

        var hard1 = PosixFs.LStat(PathBytes.Join(dest, "hard1"u8));
        var hard2 = PosixFs.LStat(PathBytes.Join(dest, "dir/hard2"u8));
        Assert.Equal(hard1.Inode, hard2.Inode);
        Assert.Equal(2UL, hard1.Links);
        var sparse = PosixFs.LStat(PathBytes.Join(dest, "sparse"u8));
        Assert.Equal(EveryKindTree.SparseSize, sparse.Size);
        Assert.True(sparse.Blocks <= 64, $"the restored sparse file takes {sparse.Blocks} blocks of 512 bytes");
        Assert.Equal("X"u8.ToArray(), SourceFiles.ReadAt(PathBytes.Join(dest, "sparse"u8), EveryKindTree.SparseDataOffset, 1));
        Assert.Equal(0x9EDu, PosixFs.LStat(PathBytes.Join(dest, "setuid"u8)).Permissions);   // setuid survives the chown
        Assert.Equal(0x3FFu, PosixFs.LStat(PathBytes.Join(dest, "sticky"u8)).Permissions);
        Assert.Contains(PosixFs.ReadXattrs(PathBytes.Join(dest, "xattrs"u8)), x => x.Key.AsSpan().SequenceEqual("security.capability"u8));
        if (tree.HasAcl)
        {
            Assert.Contains("user:1234:rw-", Shell.Run("getfacl", "-n", _dir["dest/xattrs"]));
            Assert.Contains("default:user:1234:rwx", Shell.Run("getfacl", "-n", _dir["dest/dir"]));
        }
        Assert.True(PosixFs.TryLStat(dest.Concat("/"u8.ToArray()).Concat(EveryKindTree.OddName).ToArray(), out _));
        Assert.Empty(RestoreAssert.Leftovers(_dir["dest"]));
    }

    [Fact]
    public void ReplacingAFileRenamesTheNewOneOverItAndKeepsTheOldAsYesterdayBackup()
    {
        var (tree, store) = SnapshotOfEveryKind();
        using var repo = Repository.OpenReader(store);
        byte[] file = tree.P("regular.txt");
        SourceFiles.Write(file, "edited since\n"u8);
        ulong oldInode = PosixFs.LStat(file).Inode;

        var actions = Restorer.Restore(repo, NodeAt(repo, file), file, new RestoreOptions());
        Assert.Equal([new RestoreAction(RestoreAction.Replace, PathBytes.Display(file))], actions);
        Assert.Equal("hello, time\n", File.ReadAllText(tree.Root + "/regular.txt"));
        Assert.Equal(EveryKindTree.MTimeNs, PosixFs.LStat(file).MTimeNs);
        Assert.NotEqual(oldInode, PosixFs.LStat(file).Inode);
        var backup = PosixFs.LStat(PathBytes.From(tree.Root + "/regular.txt.yesterday~"));
        Assert.Equal(oldInode, backup.Inode);                  // the old file itself, hard-linked aside
        Assert.Equal("edited since\n", File.ReadAllText(tree.Root + "/regular.txt.yesterday~"));

        // Again: the first backup stays (regression: it was overwritten, losing the unsaved work it held), the
        // version replaced now is kept as a numbered backup, as cp --backup=numbered does.
        SourceFiles.Write(file, "edited again\n"u8);
        Restorer.Restore(repo, NodeAt(repo, file), file, new RestoreOptions());
        Assert.Equal("edited since\n", File.ReadAllText(tree.Root + "/regular.txt.yesterday~"));
        Assert.Equal("edited again\n", File.ReadAllText(tree.Root + "/regular.txt.yesterday~1~"));
        Restorer.Restore(repo, NodeAt(repo, file), file, new RestoreOptions());
        Assert.Equal("hello, time\n", File.ReadAllText(tree.Root + "/regular.txt.yesterday~2~"));

        // Without backups nothing is left beside it, and a symlink at the name is replaced, not followed.
        foreach (var b in Directory.GetFiles(tree.Root, "regular.txt.yesterday~*")) File.Delete(b);
        File.Delete(tree.Root + "/regular.txt");
        File.WriteAllText(_dir["victim"], "must stay\n");
        PosixFs.Symlink(_dir.Bytes("victim"), file);
        Restorer.Restore(repo, NodeAt(repo, file), file, new RestoreOptions { KeepBackup = false });
        Assert.Equal(FileKind.Regular, PosixFs.LStat(file).Kind);
        Assert.Equal("must stay\n", File.ReadAllText(_dir["victim"]));
        Assert.False(File.Exists(tree.Root + "/regular.txt.yesterday~"));
        Assert.Empty(RestoreAssert.Leftovers(tree.Root));
    }

    [Fact]
    public void OnlyIfDifferentReplacesJustWhatDiffers()
    {
        var (tree, store) = SnapshotOfEveryKind();
        using var repo = Repository.OpenReader(store);
        byte[] dest = _dir.Bytes("dest");
        var root = NodeAt(repo, tree.RootBytes);
        Restorer.Restore(repo, root, dest, new RestoreOptions());
        ulong bigInode = PosixFs.LStat(PathBytes.Join(dest, "big"u8)).Inode;
        SourceFiles.Write(PathBytes.Join(dest, "regular.txt"u8), "HELLO, TIME\n"u8);               // same size, new content
        PosixFs.SetTimes(PathBytes.Join(dest, "regular.txt"u8), EveryKindTree.MTimeNs, EveryKindTree.MTimeNs); // and the old mtime
        PosixFs.Chmod(PathBytes.Join(dest, "empty"u8), 0x1FF);

        var actions = Restorer.Restore(repo, root, dest, new RestoreOptions { OnlyIfDifferent = true });
        var changed = actions.Where(a => a.Kind != RestoreAction.Unchanged).Select(a => a.Path).ToList();
        Assert.Equal([_dir["dest/empty"], _dir["dest/regular.txt"]], changed.Order());
        Assert.Equal(RestoreAction.Replace, actions.Single(a => a.Path == _dir["dest/regular.txt"]).Kind);
        Assert.Equal(bigInode, PosixFs.LStat(PathBytes.Join(dest, "big"u8)).Inode);
        Assert.Equal("hello, time\n", File.ReadAllText(_dir["dest/regular.txt"]));
        Assert.Equal("HELLO, TIME\n", File.ReadAllText(_dir["dest/regular.txt.yesterday~"]));
        Assert.Equal(2, Directory.EnumerateFiles(_dir["dest"], "*.yesterday~").Count());
        RestoreAssert.SameFile(tree.RootBytes, dest);
        RestoreAssert.SameFile(tree.P("empty"), PathBytes.Join(dest, "empty"u8));
    }

    [Fact]
    public void ADryRunListsWhatWouldHappenAndWritesNothing()
    {
        var (tree, store) = SnapshotOfEveryKind();
        using var repo = Repository.OpenReader(store);
        var root = NodeAt(repo, tree.RootBytes);

        var fresh = Restorer.Restore(repo, root, _dir.Bytes("dest"), new RestoreOptions { DryRun = true });
        Assert.False(Directory.Exists(_dir["dest"]));
        Assert.Equal(19, fresh.Count);
        Assert.All(fresh, a => Assert.Equal(RestoreAction.Create, a.Kind));

        Restorer.Restore(repo, root, _dir.Bytes("dest"), new RestoreOptions());
        File.WriteAllText(_dir["dest/regular.txt"], "edited\n");
        var before = Listing(_dir["dest"]);
        var planned = Restorer.Restore(repo, root, _dir.Bytes("dest"), new RestoreOptions { DryRun = true, OnlyIfDifferent = true });
        Assert.Equal(Listing(_dir["dest"]), before);
        Assert.Equal([_dir["dest/regular.txt"]], planned.Where(a => a.Kind == RestoreAction.Replace).Select(a => a.Path));
        Assert.Equal(18, planned.Count(a => a.Kind == RestoreAction.Unchanged));
    }

    private static List<string> Listing(string dir) =>
        RestoreAssert.RelativePaths(PathBytes.From(dir)).Select(rel =>
        {
            var p = PathBytes.Join(PathBytes.From(dir), rel);
            var st = PosixFs.LStat(p);
            return $"{PathBytes.Display(rel)} {st.Inode} {st.Mode} {st.MTimeNs} {st.CTimeNs} {st.Size}";
        }).ToList();

    [Fact]
    public void AMissingBlockFailsThatFileAndLeavesItsOldVersionWhileTheRestIsRestored()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var broken = new Node { Name = "b"u8.ToArray(), Kind = FileKind.Regular, Mode = 0x1A4, Size = 100, Content = new StreamRef(Score.Of("gone"u8), 0, 100) };
        var dir = t.Dir("d", t.File("a", "alpha"), broken, t.File("c", "gamma"));
        t.Commit();
        Directory.CreateDirectory(_dir["dest"]);
        File.WriteAllText(_dir["dest/b"], "keep me\n");
        var problems = new List<string>();

        var actions = Restorer.Restore(repo, dir, _dir.Bytes("dest"), new RestoreOptions(), problems.Add);
        Assert.True(Restorer.AnyFailed(actions));
        var failed = Assert.Single(actions, a => a.Kind == RestoreAction.Failed);
        Assert.Equal(_dir["dest/b"], failed.Path);
        Assert.Contains(_dir["dest/b"], Assert.Single(problems));
        Assert.Equal("keep me\n", File.ReadAllText(_dir["dest/b"]));
        Assert.Equal("alpha", File.ReadAllText(_dir["dest/a"]));
        Assert.Equal("gamma", File.ReadAllText(_dir["dest/c"]));
        Assert.False(File.Exists(_dir["dest/b.yesterday~"]));
        Assert.Empty(RestoreAssert.Leftovers(_dir["dest"]));
    }

    [Fact]
    public void AFileWhereADirectoryStandsIsSkippedWithoutBackupsAndMovesItAsideWithThem()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var file = t.File("x", "file");
        t.Commit();
        Directory.CreateDirectory(_dir["dest/x/inside"]);

        var skipped = Restorer.Restore(repo, file, _dir.Bytes("dest/x"), new RestoreOptions { KeepBackup = false });
        Assert.Equal(RestoreAction.Skip, Assert.Single(skipped).Kind);
        Assert.True(Directory.Exists(_dir["dest/x/inside"]));

        var replaced = Restorer.Restore(repo, file, _dir.Bytes("dest/x"), new RestoreOptions());
        Assert.Equal(RestoreAction.Replace, Assert.Single(replaced).Kind);
        Assert.Equal("file", File.ReadAllText(_dir["dest/x"]));
        Assert.True(Directory.Exists(_dir["dest/x.yesterday~/inside"]));
    }
}
