// Before a reader lists or mounts a store in a bucket: take in the snapshots other hosts published since (and drop
// those they forgot). It needs the local writer lock for a moment; when a writer holds it, that writer is a snapshot
// that catches up itself soon, and the reader goes on with what the local catalog has.
namespace TimeTravel.Store.Bucket;

public static class BucketCatchUp
{
    public static void Run(string root, Action<string>? warn)
    {
        var layout = new StoreLayout(root);
        if (!File.Exists(BucketLink.PathOf(layout))) return;
        try
        {
            using var repo = Repository.OpenWriter(root, "catch up with the bucket");
            repo.Bucket!.PullCatalog();
        }
        catch (StoreLockedException) { }
        catch (IOException e) { warn?.Invoke($"showing the snapshots known here: {e.Message}"); }
    }
}
