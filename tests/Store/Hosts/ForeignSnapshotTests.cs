// Another host's snapshots in this host's catalog (issue 14): their host survives the catalog, the record codec and a
// rebuild; importing is idempotent and never writes a record block; HOST/NAME and HOST/latest find them while a bare
// name or "latest" means the own host's; forget, pin and rollback refuse them, and the next snapshot builds on the
// own host's latest however new another host's is.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Index;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Store.Catalog;
using Xunit;

namespace TimeTravel.Tests.Store.Hosts;

public class ForeignSnapshotTests : IDisposable
{
    private readonly TempDir _dir = new("tt-hosts");
    private readonly string _store, _src;

    public ForeignSnapshotTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(_src);
        File.WriteAllText(Path.Combine(_src, "fstab"), "here\n");
        using var repo = Repository.Init(_store);
        repo.AddSource(new SourceRecord(_src, []));
        repo.SetHostName("here");
    }

    public void Dispose() => _dir.Dispose();

    private static DateTimeOffset Day(int d) => new(2026, 12, d, 14, 0, 0, TimeSpan.Zero);

    private SnapshotRecord Take(int day)
    {
        using var repo = Repository.OpenWriter(_store, "test");
        var result = new SnapshotWriter(repo, new SnapshotOptions { Time = Day(day) }).Run();
        Assert.True(result.Record.Complete, string.Join("\n", result.Problems));
        return repo.OwnSnapshots().Single(s => s.Name == result.Record.Name);
    }

    // Another host's snapshot as its record says: the own root (the store is shared, so its blocks are here) under that host.
    private static SnapshotRecord Foreign(SnapshotRecord like, string host, int day) => like with
    {
        Id = 77, Host = host, Name = $"2026-12-{day:D2}_1400", Time = Day(day), PreId = 76, ChangedSince = 75, Pin = null,
    };

    [Fact]
    public void HostRoundTripsThroughTheCatalogRecordCodec()
    {
        var s = CatalogRecordCodecTests.EveryField() with { Host = "web1.example-2_b" };
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s) { Sequence = 3 }));
        Assert.Equal(CatalogRecordCodec.Version, bytes[CatalogRecordCodec.C_VERSION]);
        var back = Assert.IsType<SnapshotCommitted>(CatalogRecordCodec.Decode(bytes, "test")).Snapshot;
        Assert.Equal("web1.example-2_b", back.Host);
        var own = Assert.IsType<SnapshotCommitted>(CatalogRecordCodec.Decode(
            CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s with { Host = null }))), "test")).Snapshot;
        Assert.Null(own.Host);
    }

    [Fact]
    public void AVersion3SnapshotRecordReadsAsTheOwnHosts()
    {
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(CatalogRecordCodecTests.EveryField())));
        // Version 3 ended after the pre id: drop the host's absence byte and say version 3.
        Assert.Equal(0, bytes[^1]);
        var v3 = bytes[..^1];
        v3[CatalogRecordCodec.C_VERSION] = 3;
        var back = Assert.IsType<SnapshotCommitted>(CatalogRecordCodec.Decode(v3, "test")).Snapshot;
        Assert.Null(back.Host);
        Assert.Equal(41, back.PreId);
    }

    [Fact]
    public void AHostThatIsNoHostNameIsRefusedByTheCodec()
    {
        var s = CatalogRecordCodecTests.EveryField() with { Host = "web/1" };
        Assert.Throws<ArgumentException>(() => CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s))));
    }

    [Fact]
    public void TheCatalogKeepsTheHostAndItsChecksumCoversIt()
    {
        var own = Take(1);
        using var repo = Repository.OpenWriter(_store, "test");
        long id = repo.ImportForeignSnapshot(Foreign(own, "web1", 2))!.Value;
        var all = repo.Catalog.ReadSnapshots();
        Assert.Empty(all.Damaged);
        var back = all.Good.Single(s => s.Id == id);
        Assert.Equal("web1", back.Host);
        Assert.Equal((0L, -1L), (back.PreId, back.ChangedSince)); // that host's ids mean nothing here
        Assert.Null(all.Good.Single(s => s.Id == own.Id).Host);
        Assert.NotEqual(77, id);
        Assert.True(id > own.Id, "an imported snapshot gets a new local id");
    }

    [Fact]
    public void ImportingTheSameRecordTwiceAddsItOnceAndWritesNoRecordBlock()
    {
        var own = Take(1);
        using var repo = Repository.OpenWriter(_store, "test");
        long before = Repository.ArenaDataBytes(repo.Layout);
        Assert.NotNull(repo.ImportForeignSnapshot(Foreign(own, "web1", 2)));
        Assert.Null(repo.ImportForeignSnapshot(Foreign(own, "web1", 2)));
        Assert.Equal([], repo.ImportForeignSnapshots([Foreign(own, "web1", 2), Foreign(own, "web1", 2)]));
        Assert.Single(repo.ImportForeignSnapshots([Foreign(own, "web2", 2), Foreign(own, "web2", 2)])); // same name, other host: its own
        Assert.Equal(3, repo.Catalog.Snapshots().Count);
        Assert.Equal(before, Repository.ArenaDataBytes(repo.Layout)); // no record block: the record is that host's
    }

    [Fact]
    public void ImportRefusesTheOwnHostNoHostAndABadHostName()
    {
        var own = Take(1);
        using var repo = Repository.OpenWriter(_store, "test");
        Assert.Contains("own host", Assert.Throws<StoreException>(() => repo.ImportForeignSnapshot(Foreign(own, "here", 2))).Message);
        Assert.Contains("names the host", Assert.Throws<StoreException>(() => repo.ImportForeignSnapshot(Foreign(own, "web1", 2) with { Host = null })).Message);
        Assert.Contains("not a host name", Assert.Throws<StoreException>(() => repo.ImportForeignSnapshot(Foreign(own, "..", 2))).Message);
        Assert.Single(repo.Catalog.Snapshots());
    }

    [Fact]
    public void FindSnapshotReadsHostSlashNameAndBareNamesMeanTheOwnHost()
    {
        var own1 = Take(1);
        var own3 = Take(3);
        using var repo = Repository.OpenWriter(_store, "test");
        repo.ImportForeignSnapshots([Foreign(own1, "web1", 2), Foreign(own1, "web1", 4), Foreign(own1, "web2", 5)]);
        Assert.Equal(own3.Id, repo.FindSnapshot("latest").Id);
        Assert.Equal(own3.Id, repo.FindSnapshot("here/latest").Id);
        Assert.Equal(own1.Id, repo.FindSnapshot("here/2026-12-01_1400").Id);
        var web1Latest = repo.FindSnapshot("web1/latest");
        Assert.Equal(("web1", "2026-12-04_1400"), (web1Latest.Host, web1Latest.Name));
        Assert.Equal("2026-12-02_1400", repo.FindSnapshot("web1/2026-12-02_1400").Name);
        Assert.Equal("web1/2026-12-02_1400", HostNames.Display(repo.FindSnapshot("web1/2026-12-02")));
        Assert.Equal(web1Latest.Id, repo.FindSnapshot(web1Latest.Id.ToString()).Id); // an id is the store's, any host's
        Assert.Throws<StoreException>(() => repo.FindSnapshot("2026-12-02_1400")); // web1's name, but a bare name is the own host's
        Assert.Throws<StoreException>(() => repo.FindSnapshot("web3/latest"));
        Assert.Equal("2026-12-01_1400", HostNames.Display(own1));
    }

    [Fact]
    public void ForgetPinAndRollbackOfAForeignSnapshotAreRefusedNamingItsHost()
    {
        var own = Take(1);
        using var repo = Repository.OpenWriter(_store, "test");
        repo.ImportForeignSnapshot(Foreign(own, "web1", 2));
        var foreign = repo.FindSnapshot("web1/latest");
        Assert.Equal("snapshot web1/2026-12-02_1400 belongs to host web1; forget it there",
            Assert.Throws<StoreException>(() => repo.Forget([foreign])).Message);
        Assert.Equal("snapshot web1/2026-12-02_1400 belongs to host web1; pin it there",
            Assert.Throws<StoreException>(() => repo.Pin(foreign, "hold")).Message);
        Assert.Contains("roll back to it there", Assert.Throws<StoreException>(() =>
            TimeTravel.Store.Rollback.RollbackEngine.Run(repo, foreign, new TimeTravel.Store.Rollback.RollbackRequest(), () => own, _ => { })).Message);
        Assert.Throws<StoreException>(() => repo.Forget([own, foreign])); // all or none
        Assert.Equal(2, repo.Catalog.Snapshots().Count);
        Assert.Null(repo.Catalog.Snapshots().Single(s => s.Id == foreign.Id).Pin);
    }

    [Fact]
    public void TheNextSnapshotBuildsOnTheOwnHostsLatestNotANewerForeignOne()
    {
        var own = Take(1);
        using (var repo = Repository.OpenWriter(_store, "test"))
            repo.ImportForeignSnapshot(Foreign(own, "web1", 9) with { Name = "2026-12-02_1400" }); // the name the next own snapshot takes
        File.WriteAllText(Path.Combine(_src, "fstab"), "here, changed\n");
        var next = Take(2);
        Assert.Equal("2026-12-02_1400", next.Name); // another host's name does not push it to seconds
        Assert.Equal(own.Id, next.ChangedSince);
        Assert.Null(next.Host);
    }

    [Fact]
    public void GcKeepsWhatOnlyAnotherHostsSnapshotUses()
    {
        // 1 MiB arenas, so the files' blocks land in sealed arenas, which gc compacts (never the one being written).
        Directory.Delete(_store, recursive: true);
        using (var repo = Repository.Init(_store, arenaSize: 1 << 20))
        {
            repo.AddSource(new SourceRecord(_src, []));
            repo.SetHostName("here");
        }
        byte[] Random(int seed) { var b = new byte[3 << 19]; new Random(seed).NextBytes(b); return b; }
        string kept = Path.Combine(_src, "kept.bin"), gone = Path.Combine(_src, "gone.bin");
        File.WriteAllBytes(kept, Random(1));
        var first = Take(1);
        File.Delete(kept);
        File.WriteAllBytes(gone, Random(2));
        var second = Take(2);
        File.Delete(gone);
        File.WriteAllBytes(Path.Combine(_src, "later.bin"), Random(3)); // moves the writing on past gone.bin's arena
        Take(3);
        Score ScoreOf(SnapshotRecord s, string file)
        {
            using var repo = Repository.OpenReader(_store);
            return repo.Trees.Resolve(s.Root, PathBytes.Components(PathBytes.From(file)))!.Content.Root;
        }
        Score keptScore = ScoreOf(first, kept), goneScore = ScoreOf(second, gone);
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            repo.ImportForeignSnapshot(Foreign(first, "web1", 4));
            repo.Forget([first, second]); // the own host's; web1's snapshot of the same tree stays
        }
        var result = Collector.Run(_store, new CollectionOptions { Threshold = 1.0 });
        Assert.Equal(2, result.Snapshots);
        using var reader = Repository.OpenReader(_store);
        using var index = new BlockIndex(reader.Layout.Index);
        Assert.False(index.Contains(goneScore), "gc left a block only a forgotten snapshot used (the test proves nothing)");
        Assert.True(index.Contains(keptScore), "gc dropped a block another host's snapshot uses");
        var web1 = reader.FindSnapshot("web1/latest");
        var node = reader.Trees.Resolve(web1.Root, PathBytes.Components(PathBytes.From(kept)))!;
        Assert.Equal(Random(1), reader.Trees.Streams.ReadAll(node.Content));
    }

    [Fact]
    public void CatalogRebuildKeepsTheHostOfARecordThatCarriesOne()
    {
        var own = Take(1);
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            // A record block that names another host (what a shared store's records say), written as the catalog writes one.
            var (sequence, id) = repo.Catalog.ReserveRecords(snapshotId: true);
            var record = CatalogRecordCodec.WithNonce(new SnapshotCommitted(Foreign(own, "web1", 2) with { Id = id, PreId = 0 }) { Sequence = sequence });
            repo.Blocks.Put(CatalogRecordCodec.Encode(record), BlockType.CatalogRecord);
            repo.Blocks.Commit();
        }
        var result = CatalogRebuilder.Rebuild(new StoreLayout(_store), force: true);
        Assert.Empty(result.Problems);
        Assert.Empty(result.LeftOut);
        using var reader = Repository.OpenReader(_store);
        var all = reader.Catalog.Snapshots();
        Assert.Equal([null, "web1"], all.Select(s => s.Host).ToList());
        Assert.Equal("web1/2026-12-02_1400", HostNames.Display(reader.FindSnapshot("web1/latest")));
        Assert.Equal("here", reader.HostName); // the recorded setting came back from the settings record too
    }
}
