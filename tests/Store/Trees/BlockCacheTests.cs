// The decoded-block cache: least recently used entries go first, by count or by estimated bytes; an entry larger
// than the whole budget still stays (alone), so a huge directory is decoded once per listing, not once per readdir.
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Trees;

public sealed class BlockCacheTests
{
    private static Score S(int i) => Score.Of(BitConverter.GetBytes(i));

    [Fact]
    public void A_byte_bounded_cache_drops_the_least_recently_used_until_it_fits()
    {
        var cache = BlockCache<byte[]>.BoundedByBytes(1000, b => b.Length);
        for (int i = 0; i < 4; i++) cache.Add(S(i), new byte[300]); // 1200 bytes: the oldest goes
        Assert.False(cache.TryGet(S(0), out _));
        Assert.True(cache.TryGet(S(1), out _)); // now the most recent
        cache.Add(S(4), new byte[300]);
        Assert.False(cache.TryGet(S(2), out _));
        Assert.True(cache.TryGet(S(1), out _));
        Assert.Equal(900, cache.Bytes);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void An_entry_larger_than_the_budget_stays_alone()
    {
        var cache = BlockCache<byte[]>.BoundedByBytes(1000, b => b.Length);
        cache.Add(S(0), new byte[100]);
        cache.Add(S(1), new byte[5000]);
        Assert.True(cache.TryGet(S(1), out var big));
        Assert.Equal(5000, big.Length);
        Assert.False(cache.TryGet(S(0), out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_count_bounded_cache_keeps_that_many_entries()
    {
        var cache = new BlockCache<string>(2);
        cache.Add(S(0), "a"); cache.Add(S(1), "b"); cache.Add(S(2), "c");
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(S(0), out _));
        Assert.True(cache.TryGet(S(2), out var c));
        Assert.Equal("c", c);
    }
}
