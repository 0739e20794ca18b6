// The range cache returns exactly the object's bytes whatever the offsets, fetches each run of missing pages with
// one ranged GET, stays under its byte budget, can be shared by two caches (processes) on one directory, and never
// returns a damaged or cut-short page file: it fetches that page again.
using TimeTravel.Store.Objects;
using Xunit;

namespace TimeTravel.Tests.Store.Objects;

public class ObjectRangeCacheTests : IDisposable
{
    private const int Page = ObjectRangeCache.PageSize;
    private readonly TempDir _dir = new("tt-rangecache");
    private readonly DirectoryObjectStore _store;
    private readonly byte[] _object = DirectoryObjectStoreTests.Random(7 * Page / 2 + 123, 11); // 3.5 pages and a bit

    public ObjectRangeCacheTests()
    {
        _store = new DirectoryObjectStore(_dir["objects"]);
        _store.Put("arenas/1", _object);
    }

    public void Dispose() => _dir.Dispose();

    private ObjectRangeCache NewCache(long budget = ObjectRangeCache.DefaultBudget, int readAhead = 0) =>
        new(_store, _dir["cache"], budget, readAhead);

    private void AssertReads(ObjectRangeCache cache, long offset, int length)
    {
        var into = new byte[length];
        int n = cache.Read("arenas/1", offset, into);
        int expected = (int)Math.Clamp(_object.Length - offset, 0, length);
        Assert.Equal(expected, n);
        Assert.True(_object.AsSpan((int)Math.Min(offset, _object.Length), expected).SequenceEqual(into.AsSpan(0, n)), $"bytes at {offset}+{length}");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(Page - 5, 10)]                   // across the first boundary
    [InlineData(Page - 1, 2 * Page + 2)]         // over a whole page, touching three
    [InlineData(3 * Page + 100, Page)]           // into the short last page, past the end
    [InlineData(0, 4 * Page)]                    // the whole object and more
    [InlineData(7 * Page / 2 + 123, 10)]         // at the end exactly
    [InlineData(5L * Page, 10)]                  // past the end
    public void ReadReturnsTheObjectsExactBytesColdAndWarm(long offset, int length)
    {
        var cache = NewCache();
        AssertReads(cache, offset, length);
        AssertReads(cache, offset, length);
        AssertReads(NewCache(), offset, length); // a new cache on the same directory reads the page files
    }

    [Fact]
    public void ARunOfMissingPagesIsFetchedWithOneRangedGetAndCachedPagesWithNone()
    {
        var cache = NewCache();
        AssertReads(cache, 10, 2 * Page);                 // pages 0-2
        Assert.Equal(1, _store.Requests.Get);
        Assert.Equal(3, cache.Misses);
        AssertReads(cache, 0, 3 * Page);                  // all cached
        Assert.Equal(1, _store.Requests.Get);
        Assert.Equal(3, cache.Hits);
        AssertReads(cache, 0, 4 * Page);                  // pages 0-2 cached, page 3 (the short last one) fetched
        Assert.Equal(2, _store.Requests.Get);
        Assert.Equal(2, cache.Fetches);
        Assert.Equal(_object.Length, cache.BytesFetched);
    }

    [Fact]
    public void AGapBetweenCachedPagesIsFetchedAsOneRun()
    {
        var cache = NewCache();
        AssertReads(cache, 0, 10);
        AssertReads(cache, 3 * Page, 10);
        AssertReads(cache, 0, 4 * Page); // pages 1-2 missing: one GET
        Assert.Equal(3, _store.Requests.Get);
    }

    [Fact]
    public void ReadAheadFetchesTheFollowingMissingPagesInTheSameGetForALargeRead()
    {
        var cache = NewCache(readAhead: 2);
        AssertReads(cache, 0, 100);                       // a small read (a directory block): no read-ahead
        Assert.Equal(1, _store.Requests.Get);
        Assert.Equal(1L * Page, cache.BytesFetched);
        AssertReads(cache, Page + 5, 100_000);            // a large one (a file's data): pages 2 and 3 come with it
        Assert.Equal(2, _store.Requests.Get);
        Assert.Equal(_object.Length, cache.BytesFetched);      // to the object's end
        AssertReads(cache, 2 * Page + 5, Page);           // pages 2 and 3: read ahead
        Assert.Equal(2, _store.Requests.Get);
    }

    [Fact]
    public void TheBudgetHoldsUnderManyReads()
    {
        var big = DirectoryObjectStoreTests.Random(24 * Page, 12);
        _store.Put("arenas/big", big);
        long budget = 5L * Page;
        var cache = NewCache(budget);
        var random = new Random(13);
        var into = new byte[Page / 2];
        for (int i = 0; i < 150; i++)
        {
            long offset = random.NextInt64(big.Length - into.Length);
            Assert.Equal(into.Length, cache.Read("arenas/big", offset, into));
            Assert.True(big.AsSpan((int)offset, into.Length).SequenceEqual(into));
            Assert.True(cache.BytesOnDisk() <= budget, $"{cache.BytesOnDisk()} bytes kept after read {i}, budget {budget}");
        }
        Assert.True(cache.Hits > 0);
    }

    [Fact]
    public void TheLeastRecentlyUsedPagesAreEvictedFirst()
    {
        var big = DirectoryObjectStoreTests.Random(8 * Page, 14);
        _store.Put("arenas/big", big);
        var cache = NewCache(budget: 4L * Page + 4 * ObjectRangeCache.HeaderSize);
        var into = new byte[10];
        foreach (long page in new long[] { 0, 1, 2, 3 }) cache.Read("arenas/big", page * Page, into);
        foreach (var f in Directory.GetFiles(_dir["cache"], "*.page", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(-10)); // all old...
        cache.Read("arenas/big", 0, into);                                  // ...but page 0, just used
        cache.Read("arenas/big", 4L * Page, into);                          // over budget: evicts pages 1 and 2
        long gets = _store.Requests.Get;
        cache.Read("arenas/big", 0, into);
        Assert.Equal(gets, _store.Requests.Get);
        cache.Read("arenas/big", Page, into);
        Assert.Equal(gets + 1, _store.Requests.Get);
    }

    [Fact]
    public void TwoCachesOnOneDirectoryShareItsPagesAndReadCorrectlyAtOnce()
    {
        var first = NewCache();
        var second = NewCache();
        AssertReads(first, 0, 2 * Page);
        AssertReads(second, 0, 2 * Page);
        Assert.Equal(1, _store.Requests.Get);
        Assert.Equal(2, second.Hits);

        var big = DirectoryObjectStoreTests.Random(16 * Page, 15);
        _store.Put("arenas/big", big);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var cache = i % 2 == 0 ? first : second;
            long offset = (i * 7919L * 1021) % (big.Length - Page);
            var into = new byte[Page];
            Assert.Equal(Page, cache.Read("arenas/big", offset, into));
            Assert.True(big.AsSpan((int)offset, Page).SequenceEqual(into), $"bytes at {offset}");
        });
    }

    [Fact]
    public void ADamagedOrCutShortPageFileIsFetchedAgainNotReturned()
    {
        var cache = NewCache();
        AssertReads(cache, 0, 3 * Page);
        var pages = Directory.GetFiles(_dir["cache"], "*.page", SearchOption.AllDirectories).Order().ToArray();
        Assert.Equal(3, pages.Length);
        var damaged = File.ReadAllBytes(pages[0]);
        damaged[ObjectRangeCache.HeaderSize + 1000] ^= 0x40;          // one bit of data
        File.WriteAllBytes(pages[0], damaged);
        using (var f = new FileStream(pages[1], FileMode.Open)) f.SetLength(f.Length / 2); // cut short
        File.WriteAllBytes(pages[2], []);                              // empty

        long gets = _store.Requests.Get;
        AssertReads(NewCache(), 0, 3 * Page);
        Assert.True(_store.Requests.Get > gets);
        AssertReads(NewCache(), 0, 3 * Page);                          // replaced by whole pages: read from disk now
        long after = _store.Requests.Get;
        AssertReads(NewCache(), 0, 3 * Page);
        Assert.Equal(after, _store.Requests.Get);
    }

    [Fact]
    public void APageFileOfAnotherPageIsNotReturnedForThisOne()
    {
        var cache = NewCache();
        AssertReads(cache, 0, 2 * Page);
        var pages = Directory.GetFiles(_dir["cache"], "*.page", SearchOption.AllDirectories).Order().ToArray();
        File.Copy(pages[1], pages[0], overwrite: true); // a page renamed by hand
        AssertReads(NewCache(), 0, 2 * Page);
    }

    [Fact]
    public void ForgetDropsTheObjectsPages()
    {
        var cache = NewCache();
        AssertReads(cache, 0, 2 * Page);
        Assert.True(cache.BytesOnDisk() > 0);
        cache.Forget("arenas/1");
        Assert.Equal(0, cache.BytesOnDisk());
        AssertReads(cache, 0, 10);
        Assert.Equal(2, _store.Requests.Get);
        cache.Forget("never/cached");
    }
}
