// The mark phase on stores built through the API: shared subtrees are skipped (marking 100 snapshots of one tree reads
// about as many blocks as marking one), a block reached in a second role is expanded in that role too, and a block
// that cannot be found stops the mark naming the snapshot and the block.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.History;
using Xunit;

namespace TimeTravel.Tests.Store.Collection;

public sealed class MarkerTests : IDisposable
{
    private readonly TempDir _dir = new("tt-mark");
    private readonly Repository _repo;
    private readonly StoreTrees _trees;
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public MarkerTests()
    {
        _repo = Repository.Init(_dir["store"]);
        _trees = new StoreTrees(_repo);
    }

    public void Dispose() { _repo.Dispose(); _dir.Dispose(); }

    private (MarkSet Marks, Marker Marker) NewMarker()
    {
        _repo.Blocks.Commit();
        _repo.Blocks.Index.Refresh(force: true);
        var marks = new MarkSet(_repo.Blocks.Index.Segments.ToList());
        return (marks, new Marker(marks, Collector.LocateLater(_repo), Collector.ReadFor(_repo)));
    }

    private bool Live(MarkSet marks, Score s) => marks.TryLocate(s, out var slot) && marks.IsLive(slot);

    // 20 directories of 10 files each, one of them a multi-block file (a pointer block): 200 data blocks never read.
    private Node Tree(int version)
    {
        var dirs = new List<Node>();
        for (int d = 0; d < 20; d++)
        {
            var files = Enumerable.Range(0, 10).Select(f => _trees.File($"f{f}", d == 0 && f == 0 ? $"changed {version}" : $"content {d}/{f}")).ToList();
            dirs.Add(_trees.Dir($"d{d}", [.. files]));
        }
        return _trees.Root(_trees.Dir("data", [.. dirs]));
    }

    [Fact]
    public void Marking_100_snapshots_of_one_tree_reads_about_as_many_blocks_as_marking_one()
    {
        var root = Tree(0);
        var one = _trees.Snapshot(root, T0);
        var (_, single) = NewMarker();
        single.MarkSnapshot(one);
        long readForOne = single.BlocksRead;
        Assert.Equal(22, readForOne); // "/", "data", 20 directories: files' data blocks are marked, never read

        var snapshots = new List<SnapshotRecord> { one };
        for (int i = 1; i < 100; i++) snapshots.Add(_trees.Snapshot(Tree(i), T0.AddHours(i))); // one file changes each time
        var (marks, many) = NewMarker();
        foreach (var s in snapshots) many.MarkSnapshot(s);
        // Each later snapshot re-reads only the path to its change: "/", "data" and "d0".
        Assert.Equal(readForOne + 99 * 3, many.BlocksRead);
        Assert.True(Live(marks, Score.Of("changed 42"u8)));
        Assert.True(Live(marks, Score.Of("content 19/9"u8)));
    }

    [Fact]
    public void A_block_reached_first_as_file_data_is_still_expanded_when_reached_as_a_directory()
    {
        var inner = _trees.File("inner", "only reachable through the directory");
        var dir = _trees.Dir("dir", inner);
        byte[] encoded = DirectoryCodec.Encode([inner]);
        // The same bytes as a file's content: the block is data in snapshot A and a directory in snapshot B.
        var fileWithSameBytes = new Node
        {
            Name = PathBytes.From("copy"), Kind = FileKind.Regular, Mode = 0x1A4, Size = encoded.Length,
            Content = new StreamRef(_repo.Blocks.Put(encoded, BlockType.Data), 0, encoded.Length),
        };
        Assert.Equal(dir.Content.Root, fileWithSameBytes.Content.Root);
        var a = _trees.Snapshot(_trees.Root(fileWithSameBytes), T0);
        var b = _trees.Snapshot(_trees.Root(dir), T0.AddHours(1));
        var (marks, marker) = NewMarker();
        marker.MarkSnapshot(a);
        Assert.False(Live(marks, inner.Content.Root));
        marker.MarkSnapshot(b);
        Assert.True(Live(marks, inner.Content.Root));
    }

    [Fact]
    public void A_block_missing_from_the_index_stops_the_mark_naming_the_snapshot_and_the_block()
    {
        var missing = Score.Of("never stored"u8);
        var ghost = new Node { Name = PathBytes.From("ghost"), Kind = FileKind.Regular, Mode = 0x1A4, Size = 12, Content = new StreamRef(missing, 0, 12) };
        var s = _trees.Snapshot(_trees.Root(ghost), T0);
        var (_, marker) = NewMarker();
        var e = Assert.Throws<MarkDamageException>(() => marker.MarkSnapshot(s));
        Assert.Contains($"snapshot {s.Name}", e.Message);
        Assert.Contains(missing.ToString(), e.Message);
        Assert.Contains("changes nothing", e.Message);
    }

    [Fact]
    public void Holes_are_not_blocks_and_pointer_blocks_are_marked_with_their_leaves()
    {
        var builder = new StreamBuilder(_repo.Blocks);
        var a = _repo.Blocks.Put("first chunk"u8, BlockType.Data);
        var b = _repo.Blocks.Put("second chunk"u8, BlockType.Data);
        builder.AddData(a, 11);
        builder.AddHole(1 << 20);
        builder.AddData(b, 12);
        var content = builder.Finish();
        Assert.True(content.Depth >= 1);
        var sparse = new Node { Name = PathBytes.From("sparse"), Kind = FileKind.Regular, Mode = 0x1A4, Size = content.Length, Content = content };
        var s = _trees.Snapshot(_trees.Root(sparse), T0);
        var (marks, marker) = NewMarker();
        marker.MarkSnapshot(s);
        Assert.True(Live(marks, content.Root));
        Assert.True(Live(marks, a));
        Assert.True(Live(marks, b));
    }
}
