// A store kept in an object store, with the objects in a directory (file://, the same code as a bucket but no
// server): hosts share blocks through published index segments, a fresh machine gets every snapshot back from the
// objects alone, and garbage collection with several writers never leaves a published snapshot naming a deleted
// block, even for a writer that was paused across a whole collection (issue 14).
using TimeTravel.Store;
using TimeTravel.Store.Bucket;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Snapshots;
using Xunit;

namespace TimeTravel.Tests.Store.Bucket;

public class BucketProtocolTests : IDisposable
{
    private readonly TempDir _dir = new("tt-bucket");
    private readonly string _address;
    private int _minute;

    public BucketProtocolTests()
    {
        Directory.CreateDirectory(_dir["objects"]);
        _address = "file://" + _dir["objects"];
    }

    public void Dispose() => _dir.Dispose();

    // A host: its own local area and source, writing into the shared objects.
    private sealed record Host(string Name, string Root, string Source);

    private Host NewHost(string name, bool existing, long arenaSize = 1 << 20)
    {
        var h = new Host(name, _dir[$"{name}-local"], _dir[$"{name}-src"]);
        Directory.CreateDirectory(h.Source);
        using var repo = BucketSetup.Init(_address, name, existing, arenaSize, _ => { }, h.Root);
        repo.AddSource(new SourceRecord(h.Source, []));
        return h;
    }

    private static byte[] Bytes(int seed, int length)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    private SnapshotRecord Snapshot(Host h)
    {
        using var repo = Repository.OpenWriter(h.Root, "test");
        repo.Bucket!.BeginSnapshot(null);
        var record = Take(repo);
        repo.PushToBucket(record.Name);
        return record;
    }

    private SnapshotRecord Take(Repository repo)
    {
        var result = new SnapshotWriter(repo, new SnapshotOptions { Time = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero).AddMinutes(_minute++) }).Run();
        Assert.True(result.Record.Complete, string.Join("\n", result.Problems));
        return result.Record;
    }

    private long UploadedArenaBytes(string host, uint slot)
    {
        using var objects = BucketLink.Open(_address);
        return objects.List(BucketKeys.ArenasPrefix).Where(o => BucketKeys.TryParseArena(o.Key, out uint n) && BucketKeys.SlotOf(n) == slot).Sum(o => o.Size);
    }

    private static uint SlotOf(Host h) => BucketLink.TryLoad(new StoreLayout(h.Root))!.Slot;

    private static void AssertIntact(Host h)
    {
        using var repo = Repository.OpenReader(h.Root);
        var result = new StoreVerifier(repo).Run(readData: true);
        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems.Select(p => p.Message)));
    }

    [Fact]
    public void ASecondHostStoresOnlyTheBlocksNoHostStoredBefore()
    {
        var a = NewHost("alpha", existing: false);
        var shared = Bytes(1, 6 << 20);
        File.WriteAllBytes(Path.Combine(a.Source, "system.img"), shared);
        Snapshot(a);
        var b = NewHost("beta", existing: true);
        File.WriteAllBytes(Path.Combine(b.Source, "system.img"), shared);
        File.WriteAllBytes(Path.Combine(b.Source, "own.dat"), Bytes(2, 600 << 10));
        Snapshot(b);

        long bBytes = UploadedArenaBytes("beta", SlotOf(b));
        Assert.InRange(bBytes, 600 << 10, (6 << 20) * 15 / 100); // its own 10%, not the shared 6 MiB again
        AssertIntact(b);
    }

    [Fact]
    public void AFreshMachineGetsEverySnapshotOfEveryHostBackFromTheObjectsAlone()
    {
        var a = NewHost("alpha", existing: false);
        File.WriteAllBytes(Path.Combine(a.Source, "one"), Bytes(3, 3 << 20));
        var first = Snapshot(a);
        File.WriteAllText(Path.Combine(a.Source, "two"), "second\n");
        var second = Snapshot(a);
        var b = NewHost("beta", existing: true);
        File.WriteAllText(Path.Combine(b.Source, "b"), "beta\n");
        Snapshot(b);

        // A new machine that calls itself alpha: alpha's snapshots are its own again, beta's are beta's.
        var again = new Host("alpha", _dir["alpha-again"], a.Source);
        using (var repo = BucketSetup.Init(_address, "alpha", existing: true, null, _ => { }, again.Root))
        {
            Assert.Equal([first.Name, second.Name], repo.OwnSnapshots().Select(s => s.Name));
            Assert.Equal(["beta"], repo.Catalog.Snapshots().Where(s => s.Host is not null).Select(s => s.Host!).Distinct());
            Assert.Equal([a.Source], repo.Catalog.Sources().Select(s => s.Path)); // it backs up what it backed up
            // Nothing of the snapshots is on the local disk: only this machine's own new records (host, sources).
            Assert.InRange(Directory.EnumerateFiles(repo.Layout.Arenas).Sum(f => new FileInfo(f).Length), 0, 16 << 10);
            var parts = (a.Source.TrimStart('/') + "/one").Split('/').Select(System.Text.Encoding.UTF8.GetBytes);
            var one = repo.Trees.Resolve(repo.FindSnapshot(first.Name).Root, parts);
            Assert.NotNull(one);
            Assert.Equal(Bytes(3, 3 << 20), repo.Trees.Streams.ReadAll(one.Content)); // read by range from the objects
        }
        AssertIntact(again);
        // It goes on writing in its slot, past what it had published.
        File.WriteAllText(Path.Combine(a.Source, "three"), "third\n");
        Snapshot(again);
        AssertIntact(again);
    }

    // alpha stores a file, beta (the same file in its source) starts a snapshot and so knows alpha's blocks; alpha
    // then forgets its snapshot and collects; returns beta's writer, paused there, and alpha.
    private (Repository Writer, Host A, Host B) PausedWriterAcrossAGc(int seed, bool deleted)
    {
        var a = NewHost("alpha", existing: false);
        var doomed = Bytes(seed, 2 << 20);
        File.WriteAllBytes(Path.Combine(a.Source, "old.iso"), doomed);
        var gone = Snapshot(a);
        var b = NewHost("beta", existing: true);
        File.WriteAllBytes(Path.Combine(b.Source, "copy.iso"), doomed);
        var writer = Repository.OpenWriter(b.Root, "paused snapshot");
        writer.Bucket!.BeginSnapshot(null);
        using (var repo = Repository.OpenWriter(a.Root, "forget"))
            repo.Forget([repo.FindSnapshot(gone.Name)]);
        RunGc(a, "condemn");
        if (deleted) RunGc(a, "delete");
        return (writer, a, b);
    }

    [Fact]
    public void AWriterPausedAcrossAGcThatDeletedBlocksItReusedWithdrawsItsSnapshotAndTheNextOneWalks()
    {
        var (paused, _, b) = PausedWriterAcrossAGc(seed: 4, deleted: true);
        using (var writer = paused)
        {
            var record = Take(writer);
            var e = Assert.Throws<StoreException>(() => writer.PushToBucket(record.Name));
            Assert.Contains("withdrawn", e.Message);
            Assert.Empty(writer.OwnSnapshots());
        }
        using (var objects = BucketLink.Open(_address))
            Assert.DoesNotContain(objects.List(BucketKeys.CatalogPrefix), o => o.Key.StartsWith("catalog/beta/"));
        using (var repo = Repository.OpenReader(b.Root)) Assert.True(repo.Bucket!.MustWalk);

        var next = Snapshot(b); // stores the blocks again
        using (var repo = Repository.OpenReader(b.Root)) Assert.False(repo.Bucket!.MustWalk);
        Assert.Equal(next.Name, Assert.Single(AllFromFreshMachine()).Name);
        AssertIntact(b);
    }

    [Fact]
    public void ABlockReusedFromAnArenaCondemnedMeanwhileIsCopiedAndTheSnapshotStands()
    {
        var (paused, a, b) = PausedWriterAcrossAGc(seed: 5, deleted: false);
        using (var writer = paused)
        {
            var record = Take(writer);
            var pushed = writer.PushToBucket(record.Name)!;
            Assert.True(pushed.Rescued > 0);
        }
        RunGc(a, "delete the condemned arena: its blocks live on in beta's copies");
        Assert.Single(AllFromFreshMachine());
        AssertIntact(b);
        var check = new Host("check", _dir["check"], b.Source);
        using (BucketSetup.Init(_address, "check", existing: true, null, _ => { }, check.Root)) { }
        AssertIntact(check);
    }

    [Fact]
    public void ASnapshotWhoseOwnNewArenasAGcCondemnedBeforeItsRecordWasOutStandsAndTheNextGcKeepsThem()
    {
        var a = NewHost("alpha", existing: false); // 1 MiB arenas: the snapshot's first arenas go up while it runs
        File.WriteAllBytes(Path.Combine(a.Source, "big"), Bytes(7, 4 << 20));
        var g = new Host("gcbox", _dir["gcbox"], _dir["gcbox-src"]);
        using (BucketSetup.Init(_address, "gcbox", existing: true, null, _ => { }, g.Root)) { }
        using (var writer = Repository.OpenWriter(a.Root, "snapshot"))
        {
            writer.Bucket!.BeginSnapshot(null);
            var record = Take(writer);
            RunGc(g, "condemn: the streamed arenas hold no live block yet"); // a grace period shorter than the snapshot
            writer.PushToBucket(record.Name); // not withdrawn: nothing of it was deleted
        }
        RunGc(g, "marks again: the arenas are live and stay");
        Assert.Single(AllFromFreshMachine());
        var check = new Host("check", _dir["check"], a.Source);
        using (BucketSetup.Init(_address, "check", existing: true, null, _ => { }, check.Root)) { }
        AssertIntact(check);
    }

    [Fact]
    public void AHostsSegmentsStayFewAndASnapshotsListRequestsStayTheSameAsHistoryGrows()
    {
        var a = NewHost("alpha", existing: false);
        var lists = new List<long>();
        for (int i = 0; i < 40; i++)
        {
            File.WriteAllText(Path.Combine(a.Source, $"f{i % 7}"), $"version {i}\n");
            using var repo = Repository.OpenWriter(a.Root, "test");
            long before = repo.Bucket!.Objects.Requests.List;
            repo.Bucket.BeginSnapshot(null);
            repo.PushToBucket(Take(repo).Name);
            lists.Add(repo.Bucket.Objects.Requests.List - before);
        }
        // index/ and gc/ at the start, gc/ after publishing (and before, when blocks were reused), this host's own
        // segments: however long the history.
        Assert.InRange(lists.Skip(1).Max(), 4, 5);
        Assert.Equal(lists.Skip(1).Take(10).Max(), lists.TakeLast(10).Max());
        using (var objects = BucketLink.Open(_address))
        {
            int segments = objects.List(BucketKeys.IndexPrefix).Count;
            Assert.InRange(segments, 1, 8); // 40 pushes, merged four at a time
        }
        Assert.Equal(40, AllFromFreshMachine().Count);
        var again = new Host("alpha", _dir["alpha-again"], a.Source);
        using (BucketSetup.Init(_address, "alpha", existing: true, null, _ => { }, again.Root)) { }
        AssertIntact(again);
    }

    [Fact]
    public void ALocalStoreReplicatedToTheObjectsIsWholeThereAndEveryLaterSnapshotFollows()
    {
        string root = _dir["local-store"], src = _dir["local-src"];
        Directory.CreateDirectory(src);
        File.WriteAllBytes(Path.Combine(src, "data"), Bytes(6, 3 << 20));
        using (var repo = Repository.Init(root, 1 << 20))
        {
            repo.AddSource(new SourceRecord(src, []));
            repo.SetHostName("mirror");
        }
        using (var repo = Repository.OpenWriter(root, "test")) Take(repo);
        File.WriteAllText(Path.Combine(src, "more"), "more\n");
        using (var repo = Repository.OpenWriter(root, "test")) Take(repo);

        var pushed = BucketSetup.Replicate(root, _address, "mirror", _ => { });
        Assert.Equal(2, pushed.Records);
        Assert.Equal(2, AllFromFreshMachine().Count);
        var again = BucketSetup.Replicate(root, _address, "mirror", _ => { }); // run again: nothing is missing
        Assert.Equal((0, 0), (again.Arenas, again.Records));

        // The store stays where it is, arenas and all, and its next snapshot is uploaded as it is taken.
        File.WriteAllText(Path.Combine(src, "later"), "later\n");
        Snapshot(new Host("mirror", root, src));
        Assert.True(Directory.EnumerateFiles(Path.Combine(root, "arenas")).Sum(f => new FileInfo(f).Length) > 3 << 20);
        Assert.Equal(3, AllFromFreshMachine().Count);
        var restored = new Host("mirror", _dir["mirror-again"], src);
        using (BucketSetup.Init(_address, "mirror", existing: true, null, _ => { }, restored.Root)) { }
        AssertIntact(restored);
    }

    private void RunGc(Host h, string why)
    {
        using var repo = Repository.OpenWriter(h.Root, "gc: " + why);
        BucketCollector.Run(repo, TimeSpan.Zero, dryRun: false, null);
    }

    private List<SnapshotRecord> AllFromFreshMachine()
    {
        string root = _dir[$"fresh-{Guid.NewGuid():N}"];
        using var repo = BucketSetup.Init(_address, "viewer", existing: true, null, _ => { }, root);
        return repo.Catalog.Snapshots();
    }
}
