// Pointer trees of streams: leaves and holes read back in order and by offset at every depth.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.Support;
using Xunit;
using StreamReader = TimeTravel.Store.Trees.StreamReader;

namespace TimeTravel.Tests.Store.Trees;

public class StreamTreeTests : IDisposable
{
    private readonly TempDir _dir = new("tt-tree");
    private readonly Repository _repo;

    public StreamTreeTests()
    {
        try { _repo = Repository.Init(_dir["store"]); }
        catch { _dir.Dispose(); throw; }
    }

    public void Dispose() { _repo.Dispose(); _dir.Dispose(); }

    private sealed record Leaf(long Offset, long Length, byte[]? Data);

    /// <summary>Builds a stream of `count` leaves, holes among them, and returns it with the leaves expected back.</summary>
    private (StreamRef Stream, List<Leaf> Leaves, byte[] Bytes) Build(int count, int seed, bool holes = true)
    {
        var rng = new Random(seed);
        var builder = new StreamBuilder(_repo.Blocks);
        var leaves = new List<Leaf>();
        long offset = 0;
        for (int i = 0; i < count; i++)
        {
            if (holes && rng.Next(5) == 0)
            {
                long len = rng.Next(1, 5000);
                if (rng.Next(3) == 0) { builder.AddHole(len / 2); builder.AddHole(len - len / 2); } // adjacent holes merge into one leaf
                else builder.AddHole(len);
                leaves.Add(new Leaf(offset, len, null));
                offset += len;
            }
            else
            {
                var data = SourceFiles.Random(rng.Next(1, 300), seed * 100_000 + i);
                builder.AddData(_repo.Blocks.Put(data, BlockType.Data), data.Length);
                leaves.Add(new Leaf(offset, data.Length, data));
                offset += data.Length;
            }
            if (holes && i + 1 < count && leaves[^1].Data is null) // never two hole leaves in a row
            {
                var data = SourceFiles.Random(10, seed * 100_000 + 50_000 + i);
                builder.AddData(_repo.Blocks.Put(data, BlockType.Data), data.Length);
                leaves.Add(new Leaf(offset, data.Length, data));
                offset += data.Length;
                i++;
            }
        }
        var stream = builder.Finish();
        var bytes = new byte[offset];
        foreach (var l in leaves) l.Data?.CopyTo(bytes, l.Offset);
        return (stream, leaves, bytes);
    }

    private void AssertReadsBack(StreamRef stream, List<Leaf> expected, byte[] bytes)
    {
        var reader = new StreamReader(_repo.Blocks);
        var leaves = reader.Leaves(stream).ToList();
        Assert.Equal(expected.Count, leaves.Count);
        for (int i = 0; i < leaves.Count; i++)
        {
            Assert.Equal(expected[i].Offset, leaves[i].Offset);
            Assert.Equal(expected[i].Length, leaves[i].Length);
            Assert.Equal(expected[i].Data is null, leaves[i].IsHole);
            if (expected[i].Data is { } d) Assert.Equal(Score.Of(d), leaves[i].Score);
        }
        Assert.Equal(bytes, reader.ReadAll(stream));
        var copy = new MemoryStream();
        reader.CopyTo(stream, copy);
        copy.SetLength(stream.Length);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void MoreThan1024LeavesWithHolesRoundTripAtDepthTwo()
    {
        var (stream, leaves, bytes) = Build(2600, 1);
        Assert.True(leaves.Count > 1024);
        Assert.Equal(2, stream.Depth);
        Assert.Equal(bytes.Length, stream.Length);
        AssertReadsBack(stream, leaves, bytes);
    }

    [Fact]
    public void LeafAtFindsTheLeafHoldingAnyOffset()
    {
        var (stream, leaves, _) = Build(2600, 2);
        var reader = new StreamReader(_repo.Blocks);
        var rng = new Random(3);
        var offsets = Enumerable.Range(0, 2000).Select(_ => rng.NextInt64(stream.Length))
            .Concat([0, stream.Length - 1]).Concat(leaves.Select(l => l.Offset)).Concat(leaves.Select(l => l.Offset + l.Length - 1));
        foreach (long at in offsets)
        {
            var want = leaves.Single(l => l.Offset <= at && at < l.Offset + l.Length);
            var got = reader.LeafAt(stream, at) ?? throw new Xunit.Sdk.XunitException($"no leaf at {at}");
            Assert.Equal(want.Offset, got.Offset);
            Assert.Equal(want.Length, got.Length);
            Assert.Equal(want.Data is null, got.IsHole);
            if (want.Data is { } d) Assert.Equal(d, _repo.Blocks.Get(got.Score));
        }
        Assert.Null(reader.LeafAt(stream, stream.Length));
        Assert.Null(reader.LeafAt(stream, -1));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(1024, 1)]
    [InlineData(1025, 2)]
    public void DepthGrowsOnlyPastTheFanout(int count, int depth)
    {
        var (stream, leaves, bytes) = Build(count, 10 + count, holes: false);
        Assert.Equal(depth, stream.Depth);
        AssertReadsBack(stream, leaves, bytes);
        if (count > 1)
        {
            var reader = new StreamReader(_repo.Blocks);
            Assert.Equal(leaves[^1].Offset, reader.LeafAt(stream, stream.Length - 1)!.Value.Offset);
        }
    }

    [Fact]
    public void StreamsOfOnlyHolesOrNothingReadAsZeros()
    {
        var builder = new StreamBuilder(_repo.Blocks);
        builder.AddHole(1000);
        builder.AddHole(24);
        var stream = builder.Finish();
        Assert.Equal(1024, stream.Length);
        var reader = new StreamReader(_repo.Blocks);
        Assert.Equal(new byte[1024], reader.ReadAll(stream));
        Assert.True(reader.LeafAt(stream, 1023)!.Value.IsHole);
        Assert.Equal(StreamRef.Empty, new StreamBuilder(_repo.Blocks).Finish());
        Assert.Empty(reader.Leaves(StreamRef.Empty));
    }

    [Fact]
    public void StreamsStayTheSameAfterACommitAndReopen()
    {
        var (stream, leaves, bytes) = Build(1500, 4);
        _repo.Blocks.Commit();
        using var reader = Repository.OpenReader(_dir["store"]);
        var r = new StreamReader(reader.Blocks);
        Assert.Equal(bytes, r.ReadAll(stream));
    }
}
