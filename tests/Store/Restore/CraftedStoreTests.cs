// A damaged or malicious store must not make a restore write outside its destination: entries named ".." or
// holding a slash, two entries of one name (a symlink out, then a directory through it), and a symlink already
// standing where the snapshot has a directory. Blocks are written by hand with BlockStore.Put and StreamBuilder.
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.History;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Restore;

public class CraftedStoreTests : IDisposable
{
    private readonly TempDir _dir = new("tt-crafted");
    private readonly Repository _repo;
    private readonly StoreTrees _t;

    public CraftedStoreTests()
    {
        Directory.CreateDirectory(_dir["jail"]);
        Directory.CreateDirectory(_dir["outside"]);
        _repo = Repository.Init(_dir["store"]);
        _t = new StoreTrees(_repo);
    }

    public void Dispose() { _repo.Dispose(); _dir.Dispose(); }

    private string Dest => _dir["jail/dest"];

    /// <summary>Nothing in outside/, nothing in jail/ but dest, nothing beside jail/.</summary>
    private void AssertNothingOutsideDest()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir["outside"], "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_dir["jail"]), p => p != Dest);
        Assert.False(File.Exists(_dir["escaped"]));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../../escaped")]
    [InlineData("sub/../../../escaped")]
    public void AnEntryNameThatIsNotANameFailsThatDirectoryAndWritesNothingOutside(string evil)
    {
        // The encoder checks only the order, so it writes what the decoder must refuse.
        var escape = _t.Dir(evil, _t.File("escaped", "out!"), _t.Dir("d", _t.File("escaped", "out!")));
        var top = _t.Dir("top", _t.File("fine", "in"), escape, _t.File("zfine", "in"));
        _t.Snapshot(_t.Root(top), DateTimeOffset.UnixEpoch.AddDays(20000));
        var node = _repo.Trees.Resolve(_repo.FindSnapshot("latest").Root, [PathBytes.From("top")])!;
        var problems = new List<string>();

        var actions = Restorer.Restore(_repo, node, PathBytes.From(Dest), new RestoreOptions(), problems.Add);
        Assert.True(Restorer.AnyFailed(actions));
        Assert.Contains(actions, a => a.Kind == RestoreAction.Failed && a.Path == Dest && a.Detail!.Contains("invalid entry name"));
        Assert.Contains(problems, p => p.StartsWith(Dest + ":"));
        AssertNothingOutsideDest();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Dest)); // the directory could not be read: none of it
    }

    [Fact]
    public void TwoEntriesOfOneNameASymlinkOutThenADirectoryThroughItAreRefused()
    {
        var link = _t.Symlink("a", _dir["outside"]);
        var dir = _t.Dir("a", _t.File("b", "through the link"));
        // Two encodings glued together: "a" (symlink) then "a" (directory), which Encode would refuse.
        byte[] glued = [.. DirectoryCodec.Encode([link]), .. DirectoryCodec.Encode([dir]).AsSpan(1)];
        var top = _t.DirFromBytes("top", 0x1ED, glued);
        _t.Commit();

        var actions = Restorer.Restore(_repo, top, PathBytes.From(Dest), new RestoreOptions());
        Assert.Contains(actions, a => a.Kind == RestoreAction.Failed && a.Path == Dest && a.Detail!.Contains("out of order"));
        AssertNothingOutsideDest();
        Assert.False(PosixFs.TryLStat(PathBytes.From(Dest + "/a"), out _));
    }

    [Fact]
    public void ASymlinkStandingWhereTheSnapshotHasADirectoryIsRefusedBeforeAnythingIsWritten()
    {
        var top = _t.Dir("top", _t.Dir("a", _t.File("b", "through the link")), _t.File("c", "fine"));
        _t.Commit();
        Directory.CreateDirectory(Dest);
        PosixFs.Symlink(PathBytes.From(_dir["outside"]), PathBytes.From(Dest + "/a"));

        foreach (var options in new[] { new RestoreOptions(), new RestoreOptions { DryRun = true }, new RestoreOptions { KeepBackup = false } })
        {
            var e = Assert.Throws<RestoreRefusedException>(() => Restorer.Restore(_repo, top, PathBytes.From(Dest), options));
            Assert.Equal(Dest + "/a", e.PathText);
            Assert.Contains("symlink", e.Message);
        }
        AssertNothingOutsideDest();
        Assert.Equal([Dest + "/a"], Directory.EnumerateFileSystemEntries(Dest)); // not even c: refused before writing
    }

    [Fact]
    public void ADestinationThatIsASymlinkIsRefusedForADirectory()
    {
        var top = _t.Dir("top", _t.File("b", "x"));
        _t.Commit();
        PosixFs.Symlink(PathBytes.From(_dir["outside"]), PathBytes.From(Dest));
        Assert.Throws<RestoreRefusedException>(() => Restorer.Restore(_repo, top, PathBytes.From(Dest), new RestoreOptions()));
        AssertNothingOutsideDest();
    }
}
