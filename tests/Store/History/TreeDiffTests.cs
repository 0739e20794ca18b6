// TreeDiff: added, removed, changed (content or metadata), a type change as removal plus addition, and directories
// with equal scores never opened.
using TimeTravel.Store;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.History;

public class TreeDiffTests : IDisposable
{
    private readonly TempDir _dir = new("tt-diff");
    public void Dispose() => _dir.Dispose();

    private static DateTimeOffset Day(int d) => new(2026, 11, d, 10, 0, 0, TimeSpan.Zero);

    private static List<string> Lines(IEnumerable<TreeChange> changes) => changes.Select(c =>
        $"{c.Kind} {PathBytes.Display(c.Path)}" + (c.Kind == TreeChangeKind.Changed ? $" {(c.ContentChanged ? "C" : "")}{(c.MetadataChanged ? "M" : "")}" : "")).ToList();

    [Fact]
    public void AddedRemovedChangedAndATypeChangeAreReportedInNameOrder()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var a = t.Snapshot(t.Root(t.Dir("etc",
            t.File("fstab", "old"), t.File("hosts", "h"), t.File("motd", "m"), t.File("passwd", "p"), t.File("become-dir", "f"),
            t.Dir("gone.d", t.File("x", "x")), t.Dir("same.d", t.File("y", "y")), t.File("touched", "t"))), Day(1));
        var b = t.Snapshot(t.Root(t.Dir("etc",
            t.File("fstab", "new"), t.File("hosts", "h", mode: 0x180), t.File("motd", "M", mtimeNs: StoreTrees.BaseMTimeNs + 5), t.File("touched", "t", mtimeNs: StoreTrees.BaseMTimeNs + 5),
            t.Dir("become-dir", t.File("inside", "i")), t.File("added", "a"), t.Dir("same.d", t.File("y", "y")))), Day(2));

        var changes = TreeDiff.Of(repo).Between(a, b).ToList();
        Assert.Equal(
        [
            "Added /etc/added",
            "Removed /etc/become-dir",
            "Added /etc/become-dir",
            "Changed /etc/fstab C",
            "Removed /etc/gone.d",
            "Changed /etc/hosts M",
            "Changed /etc/motd C",
            "Removed /etc/passwd",
            "Changed /etc/touched M",
        ], Lines(changes));
        Assert.Equal(FileKind.Regular, changes[1].Before!.Kind);
        Assert.Equal(FileKind.Directory, changes[2].After!.Kind);

        Assert.Equal(["Changed /etc/fstab C"], Lines(TreeDiff.Of(repo).Between(a, b, "/etc/fstab"u8.ToArray())));
        Assert.Equal(["Added /etc/added"], Lines(TreeDiff.Of(repo).Between(a, b, "/etc/added"u8.ToArray())));
        Assert.Empty(TreeDiff.Of(repo).Between(a, b, "/etc/same.d"u8.ToArray()));
        Assert.Empty(TreeDiff.Of(repo).Between(a, a));
        Assert.Equal(["Removed /etc/added"], Lines(TreeDiff.Of(repo).Between(b, a, "/etc/added"u8.ToArray())));
    }

    [Fact]
    public void DirectoriesWithEqualScoresAreNeverOpened()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        // Both snapshots share a directory whose block is not in the store: opening it would throw.
        var phantom = new Node { Name = "big"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED, Content = new StreamRef(Score.Of("missing"u8), 0, 5000) };
        var a = t.Snapshot(t.Root(t.Dir("data", phantom, t.File("small", "1"))), Day(1));
        var b = t.Snapshot(t.Root(t.Dir("data", phantom, t.File("small", "2"))), Day(2));
        Assert.Equal(["Changed /data/small C"], Lines(TreeDiff.Of(repo).Between(a, b)));
    }

    [Fact]
    public void ADirectorysOwnMetadataChangeIsReportedBesideTheChangesInside()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var a = t.Snapshot(t.Root(t.Dir("d", 0x1ED, t.File("f", "1"))), Day(1));
        var b = t.Snapshot(t.Root(t.Dir("d", 0x1C0, t.File("f", "1"), t.File("g", "2"))), Day(2));
        Assert.Equal(["Changed /d M", "Added /d/g"], Lines(TreeDiff.Of(repo).Between(a, b)));
    }
}
