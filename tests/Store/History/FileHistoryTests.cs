// FileHistory: one version per change across snapshots on different days, identical versions collapsing,
// deletion and re-creation, names of deleted files, and the Merkle shortcut over a thousand snapshots.
using System.Diagnostics;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Store.Support;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Store.History;

public class FileHistoryTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new("tt-hist");
    public void Dispose() => _dir.Dispose();

    private static DateTimeOffset Day(int d) => new(2026, 11, d, 10, 0, 0, TimeSpan.FromHours(1));

    private void TakeSnapshot(string store, int day)
    {
        using var repo = Repository.OpenWriter(store, "test");
        var result = new SnapshotWriter(repo, new SnapshotOptions { Time = Day(day) }).Run();
        Assert.True(result.Record.Complete, string.Join("\n", result.Problems));
    }

    [Fact]
    public void EditedChmodedDeletedAndRecreatedFileHasOneVersionPerChangeWithIdenticalDaysCollapsed()
    {
        string src = _dir["src"], store = _dir["store"];
        Directory.CreateDirectory(src);
        using (var repo = Repository.Init(store)) repo.Catalog.AddSource(new SourceRecord(src, []));
        byte[] file = _dir.Bytes("src/notes.txt");
        void Write(string text, long mtimeNs) { SourceFiles.Write(file, System.Text.Encoding.ASCII.GetBytes(text)); PosixFs.SetTimes(file, mtimeNs, mtimeNs); }

        Write("first\n", 1_790_000_000_000_000_001);
        TakeSnapshot(store, 1);
        SourceFiles.Write(_dir.Bytes("src/other.txt"), "unrelated\n"u8);
        TakeSnapshot(store, 2);                                 // notes.txt untouched: same version
        Write("second\n", 1_790_000_000_000_000_002);
        TakeSnapshot(store, 3);                                 // content
        PosixFs.Chmod(file, 0x180);
        TakeSnapshot(store, 4);                                 // metadata
        PosixFs.Unlink(file);
        TakeSnapshot(store, 5);                                 // deleted
        TakeSnapshot(store, 6);                                 // still deleted: same version
        Write("third\n", 1_790_000_000_000_000_003);
        TakeSnapshot(store, 7);                                 // recreated

        using var r = Repository.OpenReader(store);
        var snaps = r.Catalog.Snapshots();
        var versions = FileHistory.Of(r).Versions(snaps, file);
        Assert.Equal(
            [VersionChange.Created, VersionChange.Content, VersionChange.Metadata, VersionChange.Deleted, VersionChange.Recreated],
            versions.Select(v => v.Changes));
        Assert.Equal([1, 3, 4, 5, 7], versions.Select(v => v.Snapshot.Time.Day));
        Assert.Equal([2, 3, 4, 6, 7], versions.Select(v => v.LastSeen.Time.Day));
        Assert.Equal("first\n"u8.ToArray(), r.Trees.Streams.ReadAll(versions[0].Node!.Content));
        Assert.Equal("second\n"u8.ToArray(), r.Trees.Streams.ReadAll(versions[1].Node!.Content));
        Assert.Equal(0x1A4u, versions[1].Node!.Mode);
        Assert.Equal(0x180u, versions[2].Node!.Mode);
        Assert.Equal(versions[1].Node!.Content, versions[2].Node!.Content);
        Assert.Null(versions[3].Node);
        Assert.Equal("third\n"u8.ToArray(), r.Trees.Streams.ReadAll(versions[4].Node!.Content));

        // Both names ever seen in the source directory, whichever snapshot had them.
        var names = FileHistory.Of(r).NamesEverUnder(snaps, PathBytes.From(src));
        Assert.Equal(["notes.txt", "other.txt"], names.Select(n => PathBytes.Display(n)));
    }

    [Fact]
    public void NamesEverUnderFindsAFileDeletedBeforeTheLatestSnapshot()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var snaps = new List<SnapshotRecord>
        {
            t.Snapshot(t.At("/home/ann", t.Dir("docs", t.File("keep.txt", "k"), t.File("gone.txt", "g"))), Day(1)),
            t.Snapshot(t.At("/home/ann", t.Dir("docs", t.File("keep.txt", "k"))), Day(2)),
            t.Snapshot(t.At("/home/ann", t.Dir("docs", t.File("keep.txt", "k"), t.File("new.txt", "n"))), Day(3)),
            t.Snapshot(t.At("/home/ann", t.Dir("docs", t.File("keep.txt", "k"), t.File("new.txt", "n"))), Day(4)),
        };
        var history = FileHistory.Of(repo);
        Assert.Equal(["gone.txt", "keep.txt", "new.txt"], history.NamesEverUnder(snaps, "/home/ann/docs"u8.ToArray()).Select(n => PathBytes.Display(n)));
        var gone = history.Versions(snaps, "/home/ann/docs/gone.txt"u8.ToArray());
        Assert.Equal([VersionChange.Created, VersionChange.Deleted], gone.Select(v => v.Changes));
        Assert.Equal(Day(4), gone[1].LastSeen.Time);
        Assert.Empty(history.NamesEverUnder(snaps, "/home/bob"u8.ToArray()));
        Assert.Empty(history.Versions(snaps, "/home/ann/never.txt"u8.ToArray()));
    }

    [Fact]
    public void AFileReplacedByADirectoryIsAKindChangeAndTouchingOnlyTheMTimeIsMetadata()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var snaps = new List<SnapshotRecord>
        {
            t.Snapshot(t.At("/srv", t.File("x", "data")), Day(1)),
            t.Snapshot(t.At("/srv", t.File("x", "data", mtimeNs: StoreTrees.BaseMTimeNs + 1)), Day(2)),
            t.Snapshot(t.At("/srv", t.Dir("x", t.File("inside", "i"))), Day(3)),
        };
        var v = FileHistory.Of(repo).Versions(snaps, "/srv/x"u8.ToArray());
        Assert.Equal([VersionChange.Created, VersionChange.Metadata, VersionChange.Kind | VersionChange.Content | VersionChange.Metadata], v.Select(x => x.Changes));
        Assert.Equal(FileKind.Directory, v[2].Node!.Kind);
    }

    [Fact]
    public void ResolverAnswersFromThePreviousSnapshotWhenADirectoryOnThePathIsUnchanged()
    {
        using var repo = Repository.Init(_dir["store"]);
        var t = new StoreTrees(repo);
        var stable = t.Dir("deep", t.Dir("er", t.File("f", "same")));
        var roots = Enumerable.Range(0, 50).Select(i => t.Root(t.Dir("a", stable, t.File("churn", $"day {i}")))).ToList();
        var resolver = new SnapshotPathResolver(repo.Trees, PathBytes.Components("/a/deep/er/f"u8));
        var first = resolver.Resolve(roots[0]);
        Assert.NotNull(first);
        long afterFirst = resolver.Lookups;
        Assert.Equal(4, afterFirst);
        foreach (var root in roots.Skip(1)) Assert.Same(first, resolver.Resolve(root));
        // Each later root differs in "/" and "/a" (churn), then "deep" has the same score: two lookups, not four.
        Assert.Equal(afterFirst + 2 * 49, resolver.Lookups);
    }

    [Fact]
    public void AThousandSnapshotsGiveOneVersionPerChangeWithTheirLastSeenSnapshots()
    {
        var build = Stopwatch.StartNew();
        var snaps = new List<SnapshotRecord>();
        var start = new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.Zero);
        using (var repo = Repository.Init(_dir["store"]))
        {
            var t = new StoreTrees(repo);
            for (int i = 0; i < 1000; i++)
            {
                // Every snapshot changes a sibling (so "/", "/var" and "/var/lib" get new scores each day); the file
                // itself changes every 100th day.
                var dir = t.Dir("lib", t.File("app.conf", $"setting={i / 100}\n"), t.File("counter", $"{i}\n"));
                snaps.Add(t.Snapshot(t.Root(t.Dir("var", dir), t.Dir("etc", t.File("hostname", "h"))), start.AddDays(i), inCatalog: false));
            }
            t.Commit();
        }
        output.WriteLine($"built 1,000 snapshots in {build.ElapsedMilliseconds} ms");

        // A fresh reader: nothing cached, every directory block read from the arenas and checked.
        using var reader = Repository.OpenReader(_dir["store"]);
        var clock = Stopwatch.StartNew();
        var versions = FileHistory.Of(reader).Versions(snaps, "/var/lib/app.conf"u8.ToArray());
        long historyMs = clock.ElapsedMilliseconds;
        var names = FileHistory.Of(reader).NamesEverUnder(snaps, "/var/lib"u8.ToArray());
        long namesMs = clock.ElapsedMilliseconds - historyMs;
        var quiet = FileHistory.Of(reader).Versions(snaps, "/etc/hostname"u8.ToArray());
        long quietMs = clock.ElapsedMilliseconds - historyMs - namesMs;
        output.WriteLine($"history of a changing path {historyMs} ms, names {namesMs} ms, history of an unchanged path {quietMs} ms");

        Assert.Equal(1000, snaps.Count);
        Assert.Equal(10, versions.Count);
        Assert.Equal(VersionChange.Created, versions[0].Changes);
        Assert.All(versions.Skip(1), v => Assert.Equal(VersionChange.Content, v.Changes));
        for (int k = 0; k < 10; k++)
        {
            Assert.Equal(start.AddDays(100 * k), versions[k].Snapshot.Time);
            Assert.Equal(start.AddDays(100 * k + 99), versions[k].LastSeen.Time);
        }
        Assert.Equal(["app.conf", "counter"], names.Select(n => PathBytes.Display(n)));
        Assert.Single(quiet);
        Assert.Equal(start.AddDays(999), quiet[0].LastSeen.Time);
    }

    // The change lists spare the walk down a busy directory: here big/ changes in every snapshot (so the Merkle
    // shortcut stops at it each time), but notes.txt only once, and each snapshot's list says so.
    [Fact]
    public void ChangeListsThatDoNotNameThePathSpareTheLookupsAndGiveTheSameVersions()
    {
        string src = _dir["src"], store = _dir["store"];
        Directory.CreateDirectory(_dir["src/big"]);
        using (var repo = Repository.Init(store)) repo.Catalog.AddSource(new SourceRecord(src, []));
        for (int i = 0; i < 300; i++) SourceFiles.Write(_dir.Bytes($"src/big/f{i:D3}"), System.Text.Encoding.ASCII.GetBytes($"file {i}\n"));
        byte[] notes = _dir.Bytes("src/big/notes.txt");
        SourceFiles.Write(notes, "v1\n"u8);
        for (int day = 1; day <= 12; day++)
        {
            SourceFiles.Write(_dir.Bytes($"src/big/f{day:D3}"), System.Text.Encoding.ASCII.GetBytes($"changed on day {day}\n"));
            if (day == 6) SourceFiles.Write(notes, "v2, longer\n"u8);
            TakeSnapshot(store, day);
        }

        using var r = Repository.OpenReader(store);
        var snaps = r.Catalog.Snapshots();
        for (int i = 1; i < snaps.Count; i++) Assert.Equal(snaps[i - 1].Id, snaps[i].ChangedSince); // each list is against the one before
        var withLists = new CountingBlocks(r.Blocks);
        var versions = new FileHistory(new TimeTravel.Store.Trees.TreeReader(withLists, directoryCacheBytes: 1)).Versions(snaps, notes);
        var withoutLists = new CountingBlocks(r.Blocks);
        var bare = snaps.Select(s => s with { ChangedCount = -1 }).ToList();
        var sameVersions = new FileHistory(new TimeTravel.Store.Trees.TreeReader(withoutLists, directoryCacheBytes: 1)).Versions(bare, notes);

        Assert.Equal([1, 6], versions.Select(v => v.Snapshot.Time.Day));
        Assert.Equal([5, 12], versions.Select(v => v.LastSeen.Time.Day));
        Assert.Equal(sameVersions.Select(v => (v.Snapshot.Id, v.LastSeen.Id, v.Changes)), versions.Select(v => (v.Snapshot.Id, v.LastSeen.Id, v.Changes)));
        output.WriteLine($"block reads: {withLists.Gets} with change lists, {withoutLists.Gets} without");
        Assert.True(withLists.Gets * 2 < withoutLists.Gets, $"{withLists.Gets} block reads with change lists, {withoutLists.Gets} without");
    }

    private sealed class CountingBlocks(IBlockSource inner) : IBlockSource
    {
        public int Gets;
        public byte[] Get(in TimeTravel.Store.Scores.Score score) { Gets++; return inner.Get(score); }
    }
}
