// A missing, emptied or garbled catalog.db: every command names the file and fails, nothing recreates it behind the
// user's back, and a store on a read-only filesystem is still readable.
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsFuse]
public class CatalogDamageTests : IDisposable
{
    private readonly TempDir _dir = new("tt-catalog");
    private readonly string _src, _store, _catalog, _file;

    public CatalogDamageTests()
    {
        try
        {
            _src = _dir["src"];
            _store = _dir["store"];
            _catalog = Path.Combine(_store, "catalog.db");
            Directory.CreateDirectory(_src);
            _file = Path.Combine(_src, "a.txt");
            File.WriteAllText(_file, "the content of a\n");
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode);
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private void AssertEveryCommandFailsNamingTheCatalog(string problem)
    {
        foreach (var args in new[] { new[] { "list" }, ["ls", "latest"], ["cat", "latest", _file], ["stats"], ["verify"], ["snapshot"] })
        {
            var r = TimeTravelCli.Run(_store, args);
            Assert.True(r.ExitCode == 1, $"{args[0]}: {r}");
            Assert.Contains(_catalog + ": ", r.Stderr);
            Assert.Contains(problem, r.Stderr);
            Assert.DoesNotContain("internal error", r.Stderr);
            Assert.Equal("", r.Stdout);
        }
    }

    [Fact]
    public void MissingCatalogFailsEveryCommandAndIsNotRecreated()
    {
        File.Delete(_catalog);
        AssertEveryCommandFailsNamingTheCatalog("the catalog is missing; the store is damaged");
        Assert.False(File.Exists(_catalog));
    }

    [Fact]
    public void ACutShortCatalogIsRefusedByReadersAndRepairedByTheNextSnapshot()
    {
        long whole = new FileInfo(_catalog).Length;
        using (var f = new FileStream(_catalog, FileMode.Append)) f.Write(new byte[100]); // a last page cut short
        var list = TimeTravelCli.Run(_store, "list");
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("not whole 8192-byte pages", list.Stderr);

        File.WriteAllText(Path.Combine(_src, "b.txt"), "new\n");
        var snap = TimeTravelCli.Run(_store, "snapshot", "--time", "2030-01-01T00:00:00Z");
        Assert.True(snap.ExitCode == 0, snap.ToString());
        Assert.Equal(0, new FileInfo(_catalog).Length % 8192);
        var listed = TimeTravelCli.Run(_store, "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(2, listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1); // header and both snapshots
        Assert.True(new FileInfo(_catalog).Length >= whole);
    }

    [Fact]
    public void EmptyCatalogFailsEveryCommandAndStaysEmpty()
    {
        File.WriteAllBytes(_catalog, []);
        AssertEveryCommandFailsNamingTheCatalog("the catalog is empty (0 bytes)");
        Assert.Equal(0, new FileInfo(_catalog).Length);
    }

    [Fact]
    public void CatalogOfRandomBytesIsNamedNotAnInternalError()
    {
        var garbage = SourceFiles.Random(40_000, 5);
        File.WriteAllBytes(_catalog, garbage);
        AssertEveryCommandFailsNamingTheCatalog("catalog");
        Assert.Equal(garbage, File.ReadAllBytes(_catalog));
    }

    [Fact]
    public void CatalogWithAGoodHeaderAndGarbledPagesIsNamedNotAnInternalError()
    {
        var bytes = File.ReadAllBytes(_catalog);
        SourceFiles.Random(bytes.Length - 8192, 6).CopyTo(bytes, 8192); // LiteDB's header page intact, the rest garbage
        File.WriteAllBytes(_catalog, bytes);
        AssertEveryCommandFailsNamingTheCatalog("catalog");
        Assert.Equal(bytes, File.ReadAllBytes(_catalog));
    }

    [Fact]
    public void InitRefusesToStartAnEmptyCatalogOverBlocksUnlessAskedTo()
    {
        File.Delete(_catalog);
        var init = TimeTravelCli.Run(_store, "init");
        Assert.Equal(1, init.ExitCode);
        Assert.Contains("--new-catalog", init.Stderr);
        Assert.False(File.Exists(_catalog));

        var fresh = TimeTravelCli.Run(_store, "init", "--new-catalog", _src);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("note:", verify.Stderr);
        var snapshot = TimeTravelCli.Run(_store, "snapshot");
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.Equal("the content of a\n", TimeTravelCli.Run(_store, "cat", "latest", _file).Stdout);
    }

    [Fact]
    public void VerifyFlagsArenasFullOfBlocksUnderACatalogWithNoSnapshots()
    {
        string other = _dir["other"];
        Assert.Equal(0, TimeTravelCli.Run(other, "init").ExitCode);
        File.Copy(Path.Combine(other, "catalog.db"), _catalog, overwrite: true); // a catalog swapped for an empty one
        var r = TimeTravelCli.Run(_store, "verify");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no snapshot", r.Stderr);
        Assert.Contains("catalog", r.Stderr);
    }

    [Fact]
    public void VerifyOnlyNotesBlocksLeftByAFirstSnapshotThatNeverFinished()
    {
        string other = _dir["other"];
        Assert.Equal(0, TimeTravelCli.Run(other, "init", _src).ExitCode);
        using (var repo = Repository.OpenWriter(other, "timetravel snapshot")) // killed before its catalog record
        {
            repo.Blocks.Put(SourceFiles.Random(10_000, 7), TimeTravel.Store.Arenas.BlockType.Data);
            repo.Blocks.Commit();
        }
        var r = TimeTravelCli.Run(other, "verify");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("no snapshot has finished yet", r.Stderr);
    }

    [Fact]
    public void ReadersWorkOnAReadOnlyBindMountAndNeverWriteTheStore()
    {
        string ro = _dir["ro"];
        Directory.CreateDirectory(ro);
        Shell.Run("mount", "--bind", _store, ro);
        try
        {
            Shell.Run("mount", "-o", "remount,bind,ro", ro);
            var before = Directory.GetFiles(_store).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), new FileInfo(f).Length));
            var list = TimeTravelCli.Run(ro, "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Contains("walk", list.Stdout);
            var ls = TimeTravelCli.Run(ro, "ls", "latest", _src);
            Assert.True(ls.ExitCode == 0, ls.ToString());
            Assert.Contains("a.txt", ls.Stdout);
            var cat = TimeTravelCli.Run(ro, "cat", "latest", _file);
            Assert.True(cat.ExitCode == 0, cat.ToString());
            Assert.Equal("the content of a\n", cat.Stdout);
            Assert.Equal(0, TimeTravelCli.Run(ro, "verify", "--read-data").ExitCode);
            Assert.Equal(0, TimeTravelCli.Run(ro, "stats").ExitCode);
            var after = Directory.GetFiles(_store).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), new FileInfo(f).Length));
            Assert.Equal(before, after);
            var snapshot = TimeTravelCli.Run(ro, "snapshot");
            Assert.Equal(1, snapshot.ExitCode);
        }
        finally { Shell.Try("umount", ro); }
    }
}
