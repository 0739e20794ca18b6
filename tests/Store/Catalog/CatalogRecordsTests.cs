// Every catalog change is also a record block in the arenas, written and committed before the catalog changes; ids
// are never reused; gc is told exactly which record blocks are live; an older store gets its missing records once; and
// `catalog rebuild` (CatalogRebuilder) remakes the catalog from the records alone.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Store.History;
using Xunit;

namespace TimeTravel.Tests.Store.Catalog;

public class CatalogRecordsTests : IDisposable
{
    private readonly TempDir _dir = new("tt-records");
    private readonly string _store;

    public CatalogRecordsTests()
    {
        _store = _dir["store"];
        using var repo = Repository.Init(_store);
        repo.AddSource(new SourceRecord("/srv", ["*.tmp"]));
    }

    public void Dispose() => _dir.Dispose();

    private static SnapshotRecord Snapshot(Repository repo, string name, string content) => new()
    {
        Name = name, Time = new DateTimeOffset(DateTime.ParseExact(name, "yyyy-MM-dd_HHmm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(1)), Sources = ["/srv"],
        Root = new StoreTrees(repo).Dir("/", new StoreTrees(repo).File("a.txt", content)),
        Stats = new SnapshotStats { Files = 1, Directories = 1, LogicalBytes = content.Length, TotalsCounted = true },
    };

    private List<FoundRecord> RecordsInArenas()
    {
        var problems = new List<string>();
        var found = CatalogRecordScan.Records(new StoreLayout(_store), problems.Add).ToList();
        Assert.Empty(problems);
        return found.OrderBy(f => f.Record.Sequence).ToList();
    }

    [Fact]
    public void SnapshotIdsAreNeverReusedAfterTheNewestIsForgotten()
    {
        using var repo = Repository.OpenWriter(_store, "test");
        long a = repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
        long b = repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1100", "b"));
        repo.Forget([repo.Catalog.Snapshots().Single(s => s.Id == b)]);
        long c = repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1200", "c"));
        Assert.Equal((1L, 2L, 3L), (a, b, c));
        // Straight through the catalog (tests and tools that build stores) the same rule holds.
        repo.Forget([repo.Catalog.Snapshots().Single(s => s.Id == c)]);
        Assert.Equal(4, repo.Catalog.AddSnapshot(Snapshot(repo, "2026-01-01_1300", "d")));
    }

    [Fact]
    public void EveryChangeWritesOneRecordBlockInSequenceOrder()
    {
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
            var s = repo.Catalog.Snapshots().Single();
            repo.Pin(s, "hold");
            repo.SetRecordedSetting(StoreZone.Setting, "Europe/Berlin");
            repo.Unpin(s);
            repo.Forget([s]);
        }
        var found = RecordsInArenas();
        Assert.Equal([CatalogRecordKind.Settings, CatalogRecordKind.Snapshot, CatalogRecordKind.Pin, CatalogRecordKind.Settings,
            CatalogRecordKind.Pin, CatalogRecordKind.Forget], found.Select(f => f.Record.Kind));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), found.Select(f => f.Record.Sequence));
        var settings = Assert.IsType<SettingsRecorded>(found[3].Record);
        Assert.Equal("/srv", Assert.Single(settings.Sources).Path);
        Assert.Contains(KeyValuePair.Create("zone", "Europe/Berlin"), settings.Settings);
        var forget = Assert.IsType<SnapshotsForgotten>(found[5].Record);
        Assert.Equal(new ForgottenSnapshot(1, found[1].Score), Assert.Single(forget.Snapshots));
        using var reader = Repository.OpenReader(_store);
        Assert.Equal("5", reader.Catalog.Setting(StoreCatalog.LastRecordSequence) is { } last ? (long.Parse(last) - 1).ToString() : null);
    }

    [Fact]
    public void LiveRecordsAreKeptSnapshotsTheirLatestPinTheLatestSettingsAndForgetsOfIndexedRecords()
    {
        using var repo = Repository.OpenWriter(_store, "test");
        repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
        repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1100", "b"));
        var (a, b) = (repo.Catalog.Snapshots()[0], repo.Catalog.Snapshots()[1]);
        repo.Pin(a, null);
        repo.Unpin(a);
        repo.AddSource(new SourceRecord("/etc", []));
        repo.Forget([b]);
        var found = RecordsInArenas();
        Score Of(CatalogRecordKind kind, int nth) => found.Where(f => f.Record.Kind == kind).ElementAt(nth).Score;

        var live = repo.LiveRecordScores(s => repo.Blocks.Contains(s)).ToHashSet();
        Assert.Equal(new HashSet<Score>
        {
            Of(CatalogRecordKind.Snapshot, 0), Of(CatalogRecordKind.Pin, 1), Of(CatalogRecordKind.Settings, 1), Of(CatalogRecordKind.Forget, 0),
        }, live);
        // Once gc dropped the forgotten snapshot's record, its forget record is garbage too.
        var forgottenRecord = Of(CatalogRecordKind.Snapshot, 1);
        Assert.DoesNotContain(Of(CatalogRecordKind.Forget, 0), repo.LiveRecordScores(s => s != forgottenRecord && repo.Blocks.Contains(s)));
    }

    [Fact]
    public void AFormatThreeStoreIsRaisedToFourAndItsOldSnapshotsAreRecordedOnce()
    {
        // A store as the previous version left it: format 3, snapshots and a source in the catalog, no records.
        string old = _dir["old"];
        using (var repo = Repository.Init(old))
        {
            repo.Catalog.AddSource(new SourceRecord("/home", []));
            repo.Catalog.AddSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
            repo.Catalog.SetPin(repo.Catalog.AddSnapshot(Snapshot(repo, "2026-01-01_1100", "b")), new PinInfo(DateTimeOffset.Now, "keep"));
            repo.Blocks.Commit();
            repo.Catalog.SetSetting(StoreCatalog.RecordsComplete, "");
        }
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = Path.Combine(old, "catalog.db"), Connection = LiteDB.ConnectionType.Shared }))
            db.GetCollection("settings").Delete(StoreCatalog.RecordsComplete);
        string config = Path.Combine(old, "config");
        var cfg = StoreConfig.Load(config) with { Version = 3 };
        cfg.Save(config);

        Repository.OpenWriter(old, "test").Dispose();
        Assert.Equal(StoreConfig.FormatVersion, StoreConfig.Load(config).Version);
        var found = CatalogRecordScan.Records(new StoreLayout(old), e => Assert.Fail(e)).ToList();
        Assert.Equal([CatalogRecordKind.Settings, CatalogRecordKind.Snapshot, CatalogRecordKind.Snapshot], found.OrderBy(f => f.Record.Sequence).Select(f => f.Record.Kind));
        Assert.Equal("keep", found.Select(f => f.Record).OfType<SnapshotCommitted>().Single(s => s.Snapshot.Id == 2).Snapshot.Pin?.Note);
        Repository.OpenWriter(old, "test").Dispose(); // once: a second writer adds nothing
        Assert.Equal(3, CatalogRecordScan.Records(new StoreLayout(old), e => Assert.Fail(e)).Count());
    }

    [Fact]
    public void RebuildRestoresSnapshotsPinsSourcesAndSettingsWithoutTheForgottenOnes()
    {
        List<SnapshotRecord> before;
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            foreach (var (name, content) in new[] { ("2026-01-01_1000", "a"), ("2026-01-01_1100", "b"), ("2026-01-01_1200", "c") })
                repo.CommitSnapshot(Snapshot(repo, name, content));
            var all = repo.Catalog.Snapshots();
            repo.Pin(all[0], "before the upgrade");
            repo.Pin(all[2], null);
            repo.Unpin(all[2]);
            repo.Forget([all[1]]);
            repo.AddSource(new SourceRecord("/etc", ["*.bak"]));
            repo.SetRecordedSetting(StoreCatalog.RetentionPolicy, "keep-last 7");
            before = repo.Catalog.Snapshots();
        }
        var layout = new StoreLayout(_store);
        File.Delete(layout.Catalog);
        var result = CatalogRebuilder.Rebuild(layout, force: false);
        Assert.Empty(result.Problems);
        Assert.Empty(result.LeftOut);
        Assert.Equal(1, result.Forgotten);
        Assert.Null(result.OldCatalogKeptAs);

        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            var after = repo.Catalog.Snapshots();
            Assert.Equal(before.Select(s => (s.Id, s.Name, s.Time, s.Root.Content, s.Stats, s.Pin)), after.Select(s => (s.Id, s.Name, s.Time, s.Root.Content, s.Stats, s.Pin)));
            Assert.Equal("before the upgrade", after[0].Pin?.Note);
            Assert.Null(after[1].Pin);
            Assert.Equal(["/etc|*.bak", "/srv|*.tmp"], repo.Catalog.Sources().Select(s => s.Path + "|" + string.Join(",", s.Excludes)));
            Assert.Equal("keep-last 7", repo.Catalog.Setting(StoreCatalog.RetentionPolicy));
            // Ids and sequence numbers go on after the rebuilt ones: the forgotten id 2 is not given again.
            Assert.Equal(4, repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1300", "d")));
        }
        Assert.Equal(Enumerable.Range(1, RecordsInArenas().Count).Select(i => (long)i), RecordsInArenas().Select(f => f.Record.Sequence));
    }

    [Fact]
    public void RebuildRefusesAReadableCatalogWithoutForceAndKeepsItAsideWithForce()
    {
        using (var repo = Repository.OpenWriter(_store, "test")) repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
        var layout = new StoreLayout(_store);
        var e = Assert.Throws<StoreException>(() => CatalogRebuilder.Rebuild(layout, force: false));
        Assert.Contains("--force", e.Message);
        var result = CatalogRebuilder.Rebuild(layout, force: true);
        Assert.NotNull(result.OldCatalogKeptAs);
        Assert.Contains("catalog.db.replaced-", result.OldCatalogKeptAs);
        Assert.True(File.Exists(result.OldCatalogKeptAs));
        Assert.Single(result.Snapshots);
    }

    [Fact]
    public void ASnapshotWhoseRootIsNotIndexedIsLeftOutAndNamed()
    {
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1000", "a"));
            repo.CommitSnapshot(Snapshot(repo, "2026-01-01_1100", "b") with
            {
                Root = new StoreTrees(repo).Dir("/") is var d ? new TimeTravel.Store.Trees.Node
                {
                    Name = d.Name, Kind = d.Kind, Mode = d.Mode,
                    Content = new TimeTravel.Store.Trees.StreamRef(Score.Of("never stored"u8), 0, 12),
                } : null!,
            });
        }
        var layout = new StoreLayout(_store);
        File.Delete(layout.Catalog);
        var result = CatalogRebuilder.Rebuild(layout, force: false);
        Assert.Single(result.Snapshots);
        Assert.Contains("2026-01-01_1100 (id 2)", Assert.Single(result.LeftOut));
    }
}
