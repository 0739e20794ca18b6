// Snapshots through the store API of a tree with every file kind, compared with lstat of the source.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Snapshots;

[NeedsRoot]
public class SnapshotWriterTests : IDisposable
{
    private readonly TempDir _dir = new("tt-snap");
    private readonly EveryKindTree _tree;
    private readonly string _store;
    private static readonly DateTimeOffset Day = new(2030, 1, 2, 3, 4, 0, TimeSpan.Zero);

    public SnapshotWriterTests()
    {
        try
        {
            _tree = EveryKindTree.Create(_dir["src"]);
            _store = _dir["store"];
            using var repo = Repository.Init(_store);
            repo.Catalog.AddSource(new SourceRecord(_tree.Root, []));
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private SnapshotResult Snapshot(int minutes = 0)
    {
        using var repo = Repository.OpenWriter(_store, "test");
        return new SnapshotWriter(repo, new SnapshotOptions { Time = Day.AddMinutes(minutes) }).Run();
    }

    private static IEnumerable<byte[]> SourcePaths(byte[] dir)
    {
        foreach (var e in PosixFs.ReadDirectory(dir))
        {
            var p = PathBytes.Join(dir, e.Name);
            yield return p;
            if (e.Kind == FileKind.Directory) foreach (var sub in SourcePaths(p)) yield return sub;
        }
    }

    [Fact]
    public void EveryFileKindAndAllMetadataReadBackExactly()
    {
        var result = Snapshot();
        Assert.True(result.Record.Complete, string.Join("\n", result.Problems));
        Assert.Contains(result.Problems, p => p.Contains(_tree.Root + "/socket") && p.Contains("socket skipped"));

        using var repo = Repository.OpenReader(_store);
        var snap = repo.FindSnapshot("latest");
        var src = SnapshotAssert.Resolve(repo, snap.Root, _tree.RootBytes);
        SnapshotAssert.MatchesSource(repo, src, _tree.RootBytes);
        int checkedPaths = 0;
        foreach (var path in SourcePaths(_tree.RootBytes))
        {
            var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(path));
            if (PosixFs.LStat(path).Kind == FileKind.Socket) { Assert.Null(node); continue; }
            Assert.NotNull(node);
            SnapshotAssert.MatchesSource(repo, node, path);
            checkedPaths++;
        }
        Assert.Equal(18, checkedPaths);

        Node N(string rel) => SnapshotAssert.Resolve(repo, snap.Root, _tree.P(rel));
        Assert.Equal(0x9EDu, N("setuid").Mode);
        Assert.Equal(0x5EDu, N("setgid").Mode);
        Assert.Equal(0x3FFu, N("sticky").Mode);
        Assert.Equal((1234u, 5678u), (N("owned").Uid, N("owned").Gid));
        Assert.Equal(123_456_789, N("regular.txt").MTimeNs % 1_000_000_000);
        Assert.Equal(EveryKindTree.OddTarget, N("link").LinkTarget);
        Assert.Equal(EveryKindTree.CharDevRDev, N("chardev").RDev);
        Assert.Equal(EveryKindTree.BlockDevRDev, N("blockdev").RDev);
        Assert.Equal(FileKind.Fifo, N("fifo").Kind);
        Assert.Equal(3000, SnapshotAssert.Resolve(repo, snap.Root, _tree.P(EveryKindTree.OddName)).Size);

        var (h1, h2) = (N("hard1"), N("dir/hard2"));
        Assert.NotEqual(0UL, h1.LinkId);
        Assert.Equal(h1.LinkId, h2.LinkId);
        Assert.Equal((2UL, 2UL), (h1.NLink, h2.NLink));
        Assert.Equal(h1.Content, h2.Content);

        var x = N("xattrs").Xattrs.ToDictionary(p => System.Text.Encoding.UTF8.GetString(p.Key), p => p.Value);
        Assert.Equal(EveryKindTree.UserXattrValue, x["user.comment"]);
        Assert.Empty(x["user.empty"]);
        Assert.Equal(EveryKindTree.CapabilityV2, x["security.capability"]);
        if (_tree.HasAcl)
        {
            Assert.True(x.ContainsKey("system.posix_acl_access"));
            Assert.Contains(N("dir").Xattrs, p => p.Key.AsSpan().SequenceEqual("system.posix_acl_default"u8));
        }

        // The sparse file: its 100 MiB cost almost nothing, and it reads back with its hole.
        var sparse = N("sparse");
        Assert.Equal(EveryKindTree.SparseSize, sparse.Size);
        Assert.True(repo.Trees.Streams.Leaves(sparse.Content).Count(l => l.IsHole) >= 2);
        var leaf = repo.Trees.Streams.LeafAt(sparse.Content, EveryKindTree.SparseDataOffset)!.Value;
        Assert.False(leaf.IsHole);
        Assert.Equal((byte)'X', repo.Blocks.Get(leaf.Score)[(int)(EveryKindTree.SparseDataOffset - leaf.Offset)]);
        long arenaBytes = repo.Blocks.Arenas.List().Sum(n => new FileInfo(repo.Blocks.Arenas.PathOf(n)).Length);
        Assert.InRange(arenaBytes, EveryKindTree.BigSize, EveryKindTree.BigSize + (2 << 20));
        Assert.InRange(snap.Stats.BytesRead, EveryKindTree.BigSize, EveryKindTree.BigSize + (2 << 20));
    }

    [Fact]
    public void UnchangedTreeIsNotReadAgainAndKeepsItsScores()
    {
        var first = Snapshot(0).Record;
        var second = Snapshot(1).Record;
        Assert.True(second.Complete);
        Assert.Equal(0, second.Stats.BytesRead);
        Assert.Equal(first.Stats.Files, second.Stats.Files);
        Assert.Equal(first.Stats.LogicalBytes, second.Stats.LogicalBytes);
        using var repo = Repository.OpenReader(_store);
        var a = SnapshotAssert.Resolve(repo, first.Root, _tree.RootBytes);
        var b = SnapshotAssert.Resolve(repo, second.Root, _tree.RootBytes);
        Assert.Equal(a.Content, b.Content);
        Assert.Equal(SnapshotAssert.Resolve(repo, first.Root, _tree.P("dir")).Content, SnapshotAssert.Resolve(repo, second.Root, _tree.P("dir")).Content);
        Assert.Equal(2, repo.Catalog.Snapshots().Count);
    }

    [Fact]
    public void ChmodOnlyChangeUpdatesTheModeWithoutReading()
    {
        Snapshot(0);
        PosixFs.Chmod(_tree.P("big"), 0x180);
        var second = Snapshot(1).Record;
        Assert.Equal(0, second.Stats.BytesRead);
        using var repo = Repository.OpenReader(_store);
        var big = SnapshotAssert.Resolve(repo, second.Root, _tree.P("big"));
        Assert.Equal(0x180u, big.Mode);
        SnapshotAssert.MatchesSource(repo, big, _tree.P("big"));
    }

    [Fact]
    public void AppendingToAFileRereadsItAndStoresOnlyTheNewChunks()
    {
        var first = Snapshot(0).Record;
        SourceFiles.Append(_tree.P("big"), SourceFiles.Random(100_000, 77));
        var second = Snapshot(1).Record;
        Assert.InRange(second.Stats.BytesRead, EveryKindTree.BigSize + 100_000, EveryKindTree.BigSize + 100_000);
        Assert.True(second.Stats.NewBytes < 1 << 20, $"appending 100 kB stored {second.Stats.NewBytes} new bytes");
        using var repo = Repository.OpenReader(_store);
        SnapshotAssert.MatchesSource(repo, SnapshotAssert.Resolve(repo, second.Root, _tree.P("big")), _tree.P("big"));
        var old = SnapshotAssert.Resolve(repo, first.Root, _tree.P("big"));
        Assert.Equal(EveryKindTree.BigSize, old.Size);
        Assert.Equal(SourceFiles.Random(EveryKindTree.BigSize, 7), repo.Trees.Streams.ReadAll(old.Content));
    }

    [Fact]
    public void ReplacedContentWithTheSameSizeAndMtimeIsReadWhenAskedTo()
    {
        Snapshot(0);
        var p = _tree.P("regular.txt");
        var mtime = PosixFs.LStat(p).MTimeNs;
        SourceFiles.Write(p, "HELLO, TIME\n"u8);
        PosixFs.SetTimes(p, mtime, mtime);
        using (var repo = Repository.OpenWriter(_store, "test"))
        {
            var r = new SnapshotWriter(repo, new SnapshotOptions { Time = Day.AddMinutes(1), RereadAll = true }).Run();
            Assert.True(r.Record.Stats.BytesRead > EveryKindTree.BigSize);
        }
        using var reader = Repository.OpenReader(_store);
        var node = SnapshotAssert.Resolve(reader, reader.FindSnapshot("latest").Root, p);
        Assert.Equal("HELLO, TIME\n"u8.ToArray(), reader.Trees.Streams.ReadAll(node.Content));
    }

    // Regression: only size and mtime were compared, so new bytes with the mtime put back (`touch -d`) were missed.
    [Fact]
    public void ContentRewrittenWithItsMtimePutBackIsReadAgainBecauseItsCtimeMoved()
    {
        Snapshot(0);
        var p = _tree.P("regular.txt");
        var before = PosixFs.LStat(p);
        SourceFiles.Write(p, new byte[before.Size].Select(_ => (byte)'Z').ToArray());
        PosixFs.SetTimes(p, before.MTimeNs, before.MTimeNs);
        Assert.Equal((before.Size, before.MTimeNs), (PosixFs.LStat(p).Size, PosixFs.LStat(p).MTimeNs));

        var second = Snapshot(1).Record;
        Assert.Equal(before.Size, second.Stats.BytesRead);   // that file and nothing else
        using var repo = Repository.OpenReader(_store);
        SnapshotAssert.MatchesSource(repo, SnapshotAssert.Resolve(repo, second.Root, p), p);
    }

    [Fact]
    public void AChownOrXattrChangeAloneUpdatesMetadataWithoutReading()
    {
        Snapshot(0);
        PosixFs.LChown(_tree.P("big"), 4242, 4343);
        PosixFs.SetXattr(_tree.P("regular.txt"), "user.note"u8.ToArray(), "new"u8.ToArray());
        var second = Snapshot(1).Record;
        Assert.Equal(0, second.Stats.BytesRead);
        using var repo = Repository.OpenReader(_store);
        SnapshotAssert.MatchesSource(repo, SnapshotAssert.Resolve(repo, second.Root, _tree.P("big")), _tree.P("big"));
        SnapshotAssert.MatchesSource(repo, SnapshotAssert.Resolve(repo, second.Root, _tree.P("regular.txt")), _tree.P("regular.txt"));
    }

    // `cp -a f f.tmp; mv f.tmp f` gives the file a new inode and a new ctime and nothing else to see: from the
    // recorded node that is indistinguishable from bytes rewritten with the mtime put back, so it is read again; its
    // content score stays the same and no data block is new.
    [Fact]
    public void ACopyMovedOverTheFileIsReadAgainAndKeepsItsScore()
    {
        var first = Snapshot(0).Record;
        var p = _tree.P("big");
        Shell.Run("cp", "-a", PathBytes.Display(p), PathBytes.Display(p) + ".tmp");
        PosixFs.Rename(PathBytes.From(PathBytes.Display(p) + ".tmp"), p);
        var second = Snapshot(1).Record;
        Assert.Equal(EveryKindTree.BigSize, second.Stats.BytesRead);
        using var repo = Repository.OpenReader(_store);
        Assert.Equal(SnapshotAssert.Resolve(repo, first.Root, p).Content, SnapshotAssert.Resolve(repo, second.Root, p).Content);
        Assert.True(second.Stats.NewBytes < 64 << 10, $"{second.Stats.NewBytes} new bytes: only directories should be new");
    }

    [Fact]
    public void EverySnapshotRecordsTheSortedPathsThatChangedInIt()
    {
        var first = Snapshot(0).Record;
        SourceFiles.Append(_tree.P("regular.txt"), "more"u8);
        PosixFs.Chmod(_tree.P("dir"), 0x1C0);
        SourceFiles.Write(_tree.P("dir/new file"), "new"u8);
        PosixFs.Unlink(_tree.P("fifo"));
        var second = Snapshot(1).Record;
        var third = Snapshot(2).Record;

        using var repo = Repository.OpenReader(_store);
        Assert.Equal(["/"], ChangeList.Read(repo.Trees, first).Select(p => PathBytes.Display(p)));
        var changed = ChangeList.Read(repo.Trees, second).Select(p => PathBytes.Display(p)).ToList();
        Assert.Equal(second.ChangedCount, changed.Count);
        foreach (var expected in new[] { "regular.txt", "dir", "dir/new file", "fifo" })
            Assert.Contains(_tree.Root + "/" + expected, changed);
        Assert.DoesNotContain(_tree.Root + "/big", changed);
        Assert.Equal(changed.Order(StringComparer.Ordinal), changed);   // ASCII names: byte order is ordinal order
        Assert.DoesNotContain(ChangeList.Read(repo.Trees, third), p => PathBytes.IsWithin(p, _tree.RootBytes));
    }
}
