// The S3 object store against a real Ceph radosgw: exact bytes whole and by range (the Minio client got ranges
// wrong), multipart uploads of arena-sized files, listings past one page in key order, and failures that name the
// object, the endpoint and the cause: a missing key, a wrong secret, a missing bucket, a stopped gateway.
using System.Diagnostics;
using Amazon.S3.Model;
using TimeTravel.Remote.S3;
using TimeTravel.Store.Objects;
using TimeTravel.Tests.Store.Objects;
using Xunit;

namespace TimeTravel.Tests.Remote.S3;

[NeedsCeph]
[Collection(CephGateway.Collection)]
public sealed class S3ObjectStoreTests(CephGateway ceph) : IDisposable
{
    private readonly TempDir _dir = new("tt-s3store");

    public void Dispose() => _dir.Dispose();

    private S3Settings Settings(string? secret = null) => S3Settings.From(name =>
        name == "AWS_SECRET_ACCESS_KEY" && secret is not null ? secret : ceph.Environment.GetValueOrDefault(name));

    private S3ObjectStore NewStore(string hint, string prefix = "store", S3Settings? settings = null) =>
        new(new S3Address(ceph.NewBucket(hint), prefix), settings ?? Settings());

    [Fact]
    public async Task PutGetAndRangedGetReturnTheExactBytes()
    {
        using var store = NewStore("exact");
        var bytes = DirectoryObjectStoreTests.Random(3_000_001, 21);
        store.Put("arenas/1", bytes);
        Assert.Equal(bytes, store.Get("arenas/1"));

        foreach (var (offset, length) in new[] { (0L, 1), (1_048_575L, 2), (1_234_567L, 1 << 20), (2_999_000L, 5000), (3_000_000L, 10), (3_000_001L, 10), (9_000_000L, 10) })
        {
            var into = new byte[length];
            int n = store.GetRange("arenas/1", offset, into);
            int expected = (int)Math.Clamp(bytes.Length - offset, 0, length);
            Assert.Equal(expected, n);
            Assert.True(bytes.AsSpan((int)Math.Min(offset, bytes.Length), n).SequenceEqual(into.AsSpan(0, n)), $"bytes at {offset}+{length}");
        }
        Assert.Equal("LIST 0, PUT 1, GET 8, HEAD 0, DELETE 0", store.Requests.ToString());

        // The key is under the prefix in the bucket.
        using var client = ceph.NewClient();
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = store.Address.Bucket });
        Assert.Equal(["store/arenas/1"], listed.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task AFileOver16MiBGoesUpInPartsAndReadsBackIdentical()
    {
        using var store = NewStore("multipart");
        var bytes = DirectoryObjectStoreTests.Random(40 << 20, 22);
        File.WriteAllBytes(_dir["arena"], bytes);
        store.PutFile("arenas/2", _dir["arena"]);
        Assert.Equal(bytes, store.Get("arenas/2"));
        Assert.Equal(1 + 5 + 1, store.Requests.Put); // initiate, five 8 MiB parts, complete
        using var client = ceph.NewClient();
        var open = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = store.Address.Bucket });
        Assert.Empty(open.MultipartUploads ?? []);

        var small = DirectoryObjectStoreTests.Random(100_000, 23);
        File.WriteAllBytes(_dir["small"], small);
        store.PutFile("index/1", _dir["small"]);
        Assert.Equal(small, store.Get("index/1"));
        Assert.Equal(8, store.Requests.Put); // one PUT
    }

    [Fact]
    public void ListReturnsAllKeysPastOnePageInKeyOrderAndOnlyUnderThePrefix()
    {
        using var store = NewStore("list1100");
        var keys = Enumerable.Range(0, 1100).Select(i => $"catalog/{i * 7919 % 1100}").ToList();
        Parallel.ForEach(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k => store.Put(k, [(byte)k.Length]));
        using var other = new S3ObjectStore(new S3Address(store.Address.Bucket, "other"), Settings());
        other.Put("catalog/x", [1]);
        store.Put("catalogue", [1, 2]);

        var listed = store.List("catalog/");
        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.Select(e => e.Key));
        Assert.All(listed, e => Assert.Equal(1, e.Size));
        Assert.Equal(2, store.Requests.List); // radosgw pages at 1000 keys
        Assert.Equal(1101, store.List("").Count); // not other/catalog/x
    }

    [Fact]
    public void SizeAndDeleteWorkAndAMissingKeyIsNotFound()
    {
        using var store = NewStore("sizedelete");
        store.Put("a/b", new byte[12345]);
        Assert.Equal(12345, store.Size("a/b"));
        store.Delete("a/b");
        Assert.Null(store.Size("a/b"));
        var e = Assert.Throws<ObjectNotFoundException>(() => store.Get("a/b"));
        Assert.Contains($"s3://{store.Address.Bucket}/store/a/b", e.Message);
        Assert.Throws<ObjectNotFoundException>(() => store.GetRange("a/b", 0, new byte[10]));
        store.Delete("a/b"); // deleting what is gone succeeds, as in S3
    }

    [Fact]
    public void AWrongSecretIsAccessDeniedNamingTheVariables()
    {
        using var store = NewStore("wrongsecret", settings: Settings(secret: "not-the-secret"));
        var e = Assert.Throws<ObjectStoreException>(() => store.Put("k", [1]));
        Assert.Contains($"s3://{store.Address.Bucket}/store/k", e.Message);
        Assert.Contains("access denied", e.Message);
        Assert.Contains("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", e.Message);
        Assert.Contains(ceph.Endpoint, e.Message);
    }

    [Fact]
    public void AMissingBucketIsNamed()
    {
        using var store = new S3ObjectStore(new S3Address("tt-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "p"), Settings());
        var e = Assert.Throws<ObjectStoreException>(() => store.Put("k", [1]));
        Assert.Contains($"no bucket {store.Address.Bucket}", e.Message);
        Assert.Contains(ceph.Endpoint, e.Message);
    }

    [Fact]
    public void AStoppedGatewayFailsWithinSecondsNamingTheEndpointAndWorksAgainWhenStarted()
    {
        using var store = NewStore("stopped");
        store.Put("before", [1, 2, 3]);
        ceph.StopGateway();
        try
        {
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<ObjectStoreException>(() => store.Put("during", [4]));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"failed after {clock.Elapsed}");
            Assert.Contains($"s3://{store.Address.Bucket}/store/during", e.Message);
            Assert.Contains(ceph.Endpoint, e.Message);
            Assert.Contains("connection refused", e.Message);
            clock.Restart();
            Assert.Throws<ObjectStoreException>(() => store.Get("before"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"get failed after {clock.Elapsed}");
        }
        finally { ceph.StartGateway(); }
        store.Put("after", [5]);
        Assert.Equal([1, 2, 3], store.Get("before"));
        Assert.Equal(["after", "before"], store.List("").Select(e => e.Key));
    }

    [Fact]
    public void AGatewayThatDoesNotAnswerFailsAtTheCallsDeadline()
    {
        using var store = NewStore("hung");
        int rgw = ceph.Pids()["rgw"];
        Shell.Run("kill", "-STOP", rgw.ToString()); // accepts connections (the kernel does), answers nothing
        try
        {
            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<ObjectStoreException>(() => store.Put("k", [1]));
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
            Assert.Contains("no answer within 12 s", e.Message);
            Assert.Contains(ceph.Endpoint, e.Message);
        }
        finally { Shell.Run("kill", "-CONT", rgw.ToString()); }
        store.Put("k", [2]);
        Assert.Equal([2], store.Get("k"));
    }

    [Fact]
    public void TheRangeCacheOverTheBucketReturnsExactBytes()
    {
        using var store = NewStore("rangecache");
        var bytes = DirectoryObjectStoreTests.Random(5 * ObjectRangeCache.PageSize / 2, 24);
        store.Put("arenas/3", bytes);
        var cache = new ObjectRangeCache(store, _dir["cache"], readAheadPages: 1);
        var into = new byte[ObjectRangeCache.PageSize + 10];
        Assert.Equal(into.Length, cache.Read("arenas/3", ObjectRangeCache.PageSize / 2, into));
        Assert.True(bytes.AsSpan(ObjectRangeCache.PageSize / 2, into.Length).SequenceEqual(into));
        Assert.Equal(1, cache.Fetches);
        Assert.Equal(ObjectRangeCache.PageSize / 2, cache.Read("arenas/3", 2L * ObjectRangeCache.PageSize, into));
        Assert.Equal(1, cache.Fetches); // read ahead
        Assert.Equal(1, store.Requests.Get);
    }
}
