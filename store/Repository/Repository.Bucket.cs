// A store in a bucket: the local directory's link to it (store/Bucket), attached when the store is opened.
using TimeTravel.Store.Bucket;
using TimeTravel.Store.Objects;

namespace TimeTravel.Store;

public sealed partial class Repository
{
    /// <summary>The bucket this store is kept in; null for a store on the local disk only.</summary>
    public BucketStore? Bucket { get; private set; }

    // Reads of arenas with no local file go to the bucket through the range cache under STORE/cache.
    private void AttachBucket(BucketLink link)
    {
        var objects = BucketLink.Open(link.Address);
        try
        {
            StoreFiles.CreateDirectory(BucketStore.CacheDirectory(Layout));
            // Files are read front to back: a miss fetches the pages after it too (4 MiB per GET), not one 1 MiB page at a time.
            var cache = new ObjectRangeCache(objects, BucketStore.CacheDirectory(Layout), BucketStore.DefaultCacheBytes, readAheadPages: 3);
            Bucket = new BucketStore(this, link, objects, cache);
            Blocks.Arenas.Remote = new BucketArenas(objects, cache);
            Bucket.LoadExclusions();
        }
        catch { objects.Dispose(); throw; }
    }

    /// <summary>
    /// The writer's part after a snapshot committed: upload what is new. A failure leaves the snapshot committed
    /// here (in the write-ahead area) and says so; the next snapshot uploads it.
    /// </summary>
    public BucketStore.PushResult? PushToBucket(string? committedName = null)
    {
        if (Bucket is null) return null;
        try { return Bucket.Push(); }
        catch (IOException e)
        {
            string what = committedName is null ? "what this store holds" : $"snapshot {committedName} is committed in {Layout.Root}";
            throw new StoreException($"{what}, but uploading it to {Bucket.Objects.Location} failed: {e.Message}; nothing committed is lost: " +
                "the next snapshot (or `timetravel replicate`) uploads it");
        }
    }
}
