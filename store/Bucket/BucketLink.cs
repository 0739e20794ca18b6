// A local store directory that is the write-ahead area and cache of a store in a bucket: STORE/bucket names the
// bucket, this host's name in it and its arena slot (docs/format.md §15). Its presence makes the store a bucket store.
using TimeTravel.Store.Objects;

namespace TimeTravel.Store.Bucket;

public sealed record BucketLink(string Address, string Host, uint Slot, bool KeepLocal)
{
    private const string Signature = "timetravel-bucket 1";
    public static string PathOf(StoreLayout layout) => Path.Combine(layout.Root, "bucket");

    /// <summary>Opens the object store an address names ("s3://bucket/prefix", or a directory); set by the program
    /// (the S3 client lives in remote/, outside the store).</summary>
    public static Func<string, IObjectStore>? Opener { get; set; }

    public static IObjectStore Open(string address)
    {
        var open = Opener ?? throw new StoreException($"{address}: this program cannot open object stores");
        try { return open(address); }
        catch (FormatException e) { throw new StoreException(e.Message); }
    }

    /// <summary>A store kept in an object store: an S3 bucket, or a directory of objects on another disk (file:///PATH).</summary>
    public static bool IsBucketAddress(string store) =>
        store.StartsWith("s3://", StringComparison.Ordinal) || store.StartsWith("file://", StringComparison.Ordinal);

    /// <summary>Where the cache and write-ahead area of bucket stores live: $TIMETRAVEL_CACHE or /var/cache/timetravel.</summary>
    public static string CacheRoot => Environment.GetEnvironmentVariable("TIMETRAVEL_CACHE") is { Length: > 0 } c ? c : "/var/cache/timetravel";

    /// <summary>
    /// The local store directory for a --store argument: the directory itself, or for "s3://BUCKET/PREFIX" the local
    /// write-ahead area and cache of that bucket store, CacheRoot/s3/BUCKET/PREFIX (CacheRoot/file/PATH for file://).
    /// Every command opens that.
    /// </summary>
    public static string LocalRootFor(string store)
    {
        if (!IsBucketAddress(store)) return store;
        string scheme = store[..store.IndexOf("://", StringComparison.Ordinal)];
        string rest = store[(scheme.Length + 3)..].Trim('/');
        if (rest.Length == 0 || rest.Split('/').Any(p => p is "" or "." or ".."))
            throw new StoreException($"{store}: not a bucket address (s3://BUCKET[/PREFIX], or file:///PATH for a directory of objects)");
        return Path.Combine(CacheRoot, scheme, rest);
    }

    public static BucketLink? TryLoad(StoreLayout layout)
    {
        string path = PathOf(layout);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Signature) throw new StoreFormatException(path, "not a bucket link (damaged or foreign file)");
        string? address = null, host = null; uint slot = uint.MaxValue; bool keep = false;
        foreach (var line in lines.Skip(1))
        {
            var p = line.Split(' ', 2);
            switch (p)
            {
                case ["address", var v]: address = v; break;
                case ["host", var v]: host = v; break;
                case ["slot", var v] when uint.TryParse(v, out slot): break;
                case ["keep-local", var v]: keep = v == "yes"; break;
                case [""]: break;
                default: throw new StoreFormatException(path, $"malformed line '{line}'");
            }
        }
        if (address is null || host is null || slot > BucketKeys.MaxSlot) throw new StoreFormatException(path, "lacks its address, host or slot");
        return new BucketLink(address, host, slot, keep);
    }

    public void Save(StoreLayout layout)
    {
        string path = PathOf(layout);
        StoreFiles.WriteAtomically(path, $"{Signature}\naddress {Address}\nhost {Host}\nslot {Slot}\nkeep-local {(KeepLocal ? "yes" : "no")}\n");
    }
}
