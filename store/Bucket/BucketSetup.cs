// Making a local directory the write-ahead area of a store in a bucket: a new store, a host joining a store or
// recovering its own on a new machine (--existing), and a local store copied into a bucket (replicate).
using TimeTravel.Store.Objects;

namespace TimeTravel.Store.Bucket;

public static class BucketSetup
{
    /// <summary>Arenas of a store in a bucket: large enough that objects stay few, small enough to upload in seconds.</summary>
    public const long BucketArenaSize = 64L << 20;

    /// <summary>
    /// `init --store s3://...`: a new store in an empty bucket prefix, or (existing) the store already there, for
    /// this host. Returns the opened writer.
    /// </summary>
    public static Repository Init(string address, string host, bool existing, long? arenaSize, Action<string> say, string? localRoot = null)
    {
        string root = localRoot ?? BucketLink.LocalRootFor(address);
        var layout = new StoreLayout(root);
        if (BucketLink.TryLoad(layout) is { } link)
        {
            if (link.Address != address) throw new StoreException($"{root}: is the local area of {link.Address}, not {address}");
            if (link.Host != host) throw new StoreException($"{root}: writes into {address} as host {link.Host}; a store in a bucket keeps its host name");
            return Repository.OpenWriter(root, "init");
        }
        using var objects = BucketLink.Open(address);
        byte[]? config = null;
        try { config = objects.Get(BucketKeys.Config); } catch (ObjectNotFoundException) { }
        if (config is not null && !existing)
            throw new StoreException($"{address}: holds a store already; to recover it on this machine or to add this host to it, " +
                $"run `timetravel init --store {address} --existing`");
        if (config is null && existing)
            throw new StoreException($"{address}: holds no store (no {BucketKeys.Config} object); create one without --existing");
        if (File.Exists(layout.Config)) throw new StoreException($"{root}: a store is there already, not linked to {address}");

        StoreConfig storeConfig;
        if (config is null)
        {
            storeConfig = StoreConfig.New(arenaSize ?? BucketArenaSize);
            string tmp = Path.Combine(Path.GetTempPath(), $"timetravel-config.{Environment.ProcessId}");
            try { storeConfig.Save(tmp); objects.PutFile(BucketKeys.Config, tmp); } finally { File.Delete(tmp); }
        }
        else
        {
            StoreFiles.CreateDirectory(root);
            string tmp = Path.Combine(root, "config.bucket");
            File.WriteAllBytes(tmp, config);
            try { storeConfig = StoreConfig.Load(tmp); }
            catch (StoreFormatException e) { throw new StoreFormatException($"{address}/{BucketKeys.Config}", e.Problem); }
            finally { File.Delete(tmp); }
        }
        uint slot = HostSlots.Register(objects, host);
        var repo = Repository.Init(root, storeConfig.ArenaSize, config: storeConfig);
        try
        {
            new BucketLink(address, host, slot, KeepLocal: false).Save(layout);
            repo.Dispose();
            // The plain store's first arena, empty, is not this host's: it appends in its slot, past every arena of
            // its own already in the bucket (a host recovering on a new machine).
            var first = new FileInfo(Path.Combine(layout.Arenas, Arenas.ArenaFormat.FileName(0)));
            if (first.Exists && first.Length <= Arenas.ArenaFormat.HeaderSize) first.Delete();
            var state = BucketState.Load(layout);
            state.PublishedThrough = Math.Max(state.PublishedThrough, HighestPublishedArena(objects, host));
            state.Save(layout);
            repo = Repository.OpenWriter(root, "init");
            if (repo.Catalog.Setting(Naming.HostNames.Setting) != host) repo.SetHostName(host);
            if (existing)
            {
                int segments = repo.Bucket!.PullIndex();
                var (added, _) = repo.Bucket.PullCatalog();
                var hosts = repo.Catalog.Snapshots().Select(s => s.Host ?? host).Distinct().Order().ToList();
                say($"{address}: {added} snapshots of {hosts.Count} host{(hosts.Count == 1 ? "" : "s")} ({string.Join(", ", hosts)}) " +
                    $"and {segments} index segments taken in; this machine writes as host {host}");
            }
            else say($"{address}: new store, this machine writes as host {host}; its local area is {root}");
            return repo;
        }
        catch { repo.Dispose(); throw; }
    }

    // The last arena the host's published index segments name (-1: none): its next arena comes after it.
    private static long HighestPublishedArena(IObjectStore objects, string host)
    {
        long highest = -1;
        foreach (var o in objects.List(BucketKeys.IndexPrefix + host + "/"))
            if (BucketKeys.TryParseIndexSegment(o.Key, out string h, out _, out uint last) && h == host && !Arenas.ArenaFormat.IsCompacted(last))
                highest = Math.Max(highest, last);
        return highest;
    }

    /// <summary>
    /// `replicate`: copies a local store into a bucket and keeps it linked there, so every later snapshot is
    /// uploaded too (its arenas stay on the local disk). Run again, it uploads whatever is missing.
    /// </summary>
    public static BucketStore.PushResult Replicate(string root, string address, string host, Action<string> say)
    {
        var layout = new StoreLayout(root);
        var existingLink = BucketLink.TryLoad(layout);
        if (existingLink is not null && existingLink.Address != address)
            throw new StoreException($"{root}: is replicated to {existingLink.Address} already, not {address}");
        if (existingLink is null)
        {
            var config = StoreConfig.Load(layout.Config);
            using var objects = BucketLink.Open(address);
            byte[]? there = null;
            try { there = objects.Get(BucketKeys.Config); } catch (ObjectNotFoundException) { }
            if (there is not null)
            {
                string tmp = Path.Combine(root, "config.bucket");
                File.WriteAllBytes(tmp, there);
                try { if (StoreConfig.Load(tmp).Id != config.Id) throw new StoreException($"{address}: holds another store; replicate into an empty prefix"); }
                finally { File.Delete(tmp); }
            }
            else objects.PutFile(BucketKeys.Config, layout.Config);
            uint slot = HostSlots.Register(objects, host, wanted: 0);
            using (var check = Repository.OpenReader(root))
                if (check.Blocks.Arenas.ListAppended().Any(n => n >= BucketKeys.FirstArenaOf(1)))
                    throw new StoreException($"{root}: has more arenas than a replicated store may ({BucketKeys.FirstArenaOf(1)})");
            new BucketLink(address, host, slot, KeepLocal: true).Save(layout);
            say($"{root}: linked to {address} as host {host}; later snapshots are uploaded as they are taken");
        }
        using var repo = Repository.OpenWriter(root, "timetravel replicate");
        return repo.Bucket!.PushAll();
    }
}
