// A snapshot given a ChangeFilter (what the change journal named) visits only the directories on the path to a change
// and reuses every other subtree by score. The tests change files the filter does not name: had the writer looked
// at them, the snapshot would record their new content, so "not visited" is proven, not assumed.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Snapshots;

public sealed class JournalSnapshotWriterTests : IDisposable
{
    private readonly TempDir _dir = new("tt-jsnap");
    private readonly string _store;
    private static readonly DateTimeOffset Day = new(2030, 1, 2, 3, 4, 0, TimeSpan.Zero);

    public JournalSnapshotWriterTests()
    {
        try
        {
            Directory.CreateDirectory(_dir["src/a"]);
            Directory.CreateDirectory(_dir["src/b/deep"]);
            File.WriteAllText(_dir["src/a/changed.txt"], "old a");
            File.WriteAllText(_dir["src/b/untouched.txt"], "old b");
            File.WriteAllText(_dir["src/b/deep/x"], "x");
            _store = _dir["store"];
            using var repo = Repository.Init(_store);
            repo.Catalog.AddSource(new SourceRecord(_dir["src"], []));
        }
        catch { Dispose(); throw; }
    }

    public void Dispose() => _dir.Dispose();

    private byte[] P(string relative) => _dir.Bytes("src/" + relative);

    private SnapshotResult Run(int minutes, ChangeFilter? filter = null, SnapshotProgress? progress = null)
    {
        using var repo = Repository.OpenWriter(_store, "test");
        var options = new SnapshotOptions { Time = Day.AddMinutes(minutes), Changes = filter, Method = filter is null ? "walk" : "journal" };
        return new SnapshotWriter(repo, options, progress).Run();
    }

    private string Recorded(SnapshotResult r, string relative)
    {
        using var repo = Repository.OpenReader(_store);
        var node = SnapshotAssert.Resolve(repo, r.Record.Root, P(relative));
        return System.Text.Encoding.UTF8.GetString(repo.Trees.Streams.ReadAll(node.Content));
    }

    [Fact]
    public void UntouchedSubtreesAreReusedWithoutAStatAndOnlyTheNamedPathIsRead()
    {
        Run(0);
        File.AppendAllText(_dir["src/a/changed.txt"], " and new");
        File.WriteAllText(_dir["src/b/untouched.txt"], "changed behind the journal's back");

        var progress = new SnapshotProgress();
        var result = Run(1, new ChangeFilter([P("a/changed.txt")], [], []), progress);

        Assert.Equal("old a and new", Recorded(result, "a/changed.txt"));
        Assert.Equal("old b", Recorded(result, "b/untouched.txt"));   // b was never looked at
        // lstat of "/" and each directory down to the source root, then src/a and src/a/changed.txt: nothing else.
        int expected = 1 + PathBytes.Components(_dir.Bytes("src")).Count + 2;
        Assert.Equal(expected, progress.Stats);
        using var repo = Repository.OpenReader(_store);
        Assert.Contains(ChangeList.Read(repo.Trees, result.Record), p => PathBytes.Display(p) == _dir["src/a/changed.txt"]);
        Assert.DoesNotContain(ChangeList.Read(repo.Trees, result.Record), p => PathBytes.IsWithin(p, P("b")));
    }

    // A new name (a subtree walked in full) is no exception: the file's other names need not be where the journal looks.
    [Theory]
    [InlineData("new directory")]
    [InlineData("second name")]
    public void AHardLinkedFileMetByAJournalSnapshotMakesItFallBackToAWalk(string how)
    {
        Run(0);
        ChangeFilter filter;
        if (how == "new directory")
        {
            Directory.CreateDirectory(_dir["src/new"]);
            File.WriteAllText(_dir["src/new/f"], "f");
            PosixFs.HardLink(P("new/f"), P("new/g"));
            filter = new ChangeFilter([P("new")], [P("new")], []);
        }
        else
        {
            PosixFs.HardLink(P("a/changed.txt"), P("b/deep/second"));
            filter = new ChangeFilter([P("b/deep/second")], [P("b/deep/second")], []);
        }
        Assert.Throws<HardLinkChangedException>(() => Run(1, filter));
    }

    // The source root itself named as new (it was replaced by another directory) is walked in full.
    [Fact]
    public void ASourceRootNamedAsANewSubtreeIsWalkedInFull()
    {
        Run(0);
        File.WriteAllText(_dir["src/b/untouched.txt"], "seen by the full walk");
        var result = Run(1, new ChangeFilter([_dir.Bytes("src")], [_dir.Bytes("src")], []));
        Assert.Equal("seen by the full walk", Recorded(result, "b/untouched.txt"));
    }
}
