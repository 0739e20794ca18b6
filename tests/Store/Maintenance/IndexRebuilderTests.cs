// The index is derived data: rebuilt from the arenas it answers every lookup as before.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Index;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Maintenance;

public class IndexRebuilderTests : IDisposable
{
    private readonly TempDir _dir = new("tt-rebuild");
    public void Dispose() => _dir.Dispose();

    private List<IndexEntry> SnapshotTwiceWithSmallArenas()
    {
        string src = _dir["src"];
        SourceFiles.RandomTree(src, 6 << 20, 1 << 20, seed: 3);
        for (int i = 0; i < 200; i++) File.WriteAllText(Path.Combine(src, $"small{i}"), $"file {i}\n");
        using (var repo = Repository.Init(_dir["store"], arenaSize: 2 << 20)) // several arenas
        {
            repo.Catalog.AddSource(new SourceRecord(src, []));
            new SnapshotWriter(repo, new SnapshotOptions()).Run();
        }
        File.WriteAllBytes(Path.Combine(src, "f000"), SourceFiles.Random(1 << 20, 99));
        using (var repo = Repository.OpenWriter(_dir["store"], "test"))
        {
            new SnapshotWriter(repo, new SnapshotOptions()).Run();
            return repo.Blocks.Index.CommittedEntries().ToList();
        }
    }

    [Fact]
    public void RebuildFromTheArenasGivesTheSameLookups()
    {
        var before = SnapshotTwiceWithSmallArenas();
        var layout = new StoreLayout(_dir["store"]);
        Assert.True(Directory.GetFiles(layout.Arenas).Length >= 3);
        var manifestBefore = IndexManifest.Load(layout.Index);
        foreach (var f in Directory.GetFiles(layout.Index)) File.Delete(f);
        using (var empty = Repository.OpenReader(_dir["store"]))
            Assert.False(empty.Blocks.TryLocate(before[0].Score, out _));

        var result = IndexRebuilder.Rebuild(layout);
        Assert.Empty(result.Problems);
        Assert.Equal(before.Count, result.Blocks);

        using var repo = Repository.OpenReader(_dir["store"]);
        Assert.Equal(before, repo.Blocks.Index.CommittedEntries().ToList());
        foreach (var e in before) Assert.True(repo.Blocks.TryLocate(e.Score, out var loc) && loc == e.Location);
        var m = repo.Blocks.Index.Manifest;
        Assert.Equal((manifestBefore.WatermarkArena, manifestBefore.WatermarkOffset), (m.WatermarkArena, m.WatermarkOffset));
        var verify = new StoreVerifier(repo).Run(readData: true);
        Assert.True(verify.Ok, string.Join("\n", verify.Problems));
        Assert.Equal(2, verify.SnapshotsChecked);
    }

    [Fact]
    public void RebuildWorksWhenTheIndexDirectoryIsGone()
    {
        var before = SnapshotTwiceWithSmallArenas();
        var layout = new StoreLayout(_dir["store"]);
        Directory.Delete(layout.Index, recursive: true);
        IndexRebuilder.Rebuild(layout);
        using var repo = Repository.OpenReader(_dir["store"]);
        Assert.Equal(before.Count, repo.Blocks.Index.CommittedEntries().Count());
    }
}
