// A store opened for use: its layout, config, catalog and blocks, and (for the writer) the lock.
// Everything outside store/ reaches the store through this type, the tree reader and the catalog.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store;

public sealed partial class Repository : IDisposable
{
    public StoreLayout Layout { get; }
    public StoreConfig Config { get; }
    public StoreCatalog Catalog { get; }
    public BlockStore Blocks { get; }
    public TreeReader Trees { get; }
    private readonly WriterLock? _lock;

    private Repository(StoreLayout layout, StoreConfig config, StoreCatalog catalog, BlockStore blocks, WriterLock? writerLock)
    {
        Layout = layout; Config = config; Catalog = catalog; Blocks = blocks; _lock = writerLock;
        Trees = new TreeReader(blocks);
    }

    public bool IsWriter => _lock != null;

    /// <summary>
    /// Creates a store at root (mode 0700), or opens the one there; the caller then records the sources. Only init
    /// creates the catalog: for a new store, or for one whose catalog is gone while its arenas hold no blocks. With
    /// `newCatalog` it also starts an empty catalog over the blocks of a store whose catalog was lost.
    /// </summary>
    public static Repository Init(string root, long arenaSize = Arenas.ArenaFormat.DefaultMaxArenaSize, bool newCatalog = false)
    {
        var layout = new StoreLayout(root);
        if (!File.Exists(layout.Config))
        {
            if (Directory.Exists(layout.Root) && Directory.EnumerateFileSystemEntries(layout.Root).Any())
                throw new StoreException($"{layout.Root}: directory exists, is not empty and is not a TimeTravel store");
            StoreFiles.CreateDirectory(layout.Root);
            File.SetUnixFileMode(layout.Root, StoreFiles.DirectoryMode); // an existing empty directory too
            StoreFiles.CreateDirectory(layout.Arenas);
            StoreFiles.CreateDirectory(layout.Index);
            StoreFiles.CreateDirectory(layout.Journal);
            StoreConfig.New(arenaSize).Save(layout.Config + ".tmp");
            File.Move(layout.Config + ".tmp", layout.Config); // the config appears last: a half-made store is not a store
            Posix.PosixFs.FsyncDirectory(layout.Root);
        }
        if (newCatalog && CatalogPresent(layout))
            throw new StoreException($"{layout.Catalog}: the catalog is there; --new-catalog only replaces a lost one");
        long data = ArenaDataBytes(layout);
        bool create = !CatalogPresent(layout) && (newCatalog || data == 0);
        if (create && File.Exists(layout.Catalog)) File.Delete(layout.Catalog); // an emptied (0-byte) catalog
        var repo = OpenWriter(root, "init", createCatalog: create);
        try
        {
            // `verify` tells this store (blocks, and knowingly no snapshots yet) from one whose catalog was swapped.
            if (create && data > 0)
            {
                repo.Catalog.SetSetting(StoreCatalog.NewCatalogOverBlocks, DateTimeOffset.Now.ToString("O"));
                repo.ContinueAfterOldRecords();
            }
            return repo;
        }
        catch { repo.Dispose(); throw; }
    }

    public static Repository OpenReader(string root)
    {
        var layout = new StoreLayout(root);
        var config = StoreConfig.Load(layout.Config);
        RequireDirectories(layout);
        StorePermissions.WarnAboutRoot(layout);
        RequireCatalog(layout);
        var catalog = StoreCatalog.Open(layout.Catalog, readOnly: true);
        try { return new Repository(layout, config, catalog, BlockStore.OpenReader(layout), null); }
        catch { catalog.Dispose(); throw; }
    }

    public static Repository OpenWriter(string root, string purpose) => OpenWriter(root, purpose, createCatalog: false);

    private static Repository OpenWriter(string root, string purpose, bool createCatalog)
    {
        var layout = new StoreLayout(root);
        var config = StoreConfig.Load(layout.Config);
        RequireDirectories(layout);
        StorePermissions.WarnAboutRoot(layout);
        var writerLock = WriterLock.Acquire(layout, purpose);
        StoreCatalog? catalog = null;
        try
        {
            StorePermissions.MakeEverythingBelowRootPrivate(layout);
            StoreFiles.CreateDirectory(layout.Journal);
            if (!createCatalog) RequireCatalog(layout);
            catalog = StoreCatalog.Open(layout.Catalog, readOnly: false, create: createCatalog);
            // A new catalog holds nothing that could be missing from the arenas.
            if (createCatalog) catalog.SetSetting(StoreCatalog.RecordsComplete, $"{DateTimeOffset.Now:O} (new catalog)");
            if (config.GainsCatalogRecords) config = config.RaiseToCatalogRecords(layout.Config);
            // Once per catalog: a writer other than init has used it, so blocks without a snapshot under it come from
            // interrupted snapshots, not from a catalog put back from before the first snapshot (see `verify`).
            if (purpose != "init" && catalog.Setting(StoreCatalog.FirstWriter) is null)
                catalog.SetSetting(StoreCatalog.FirstWriter, $"{DateTimeOffset.Now:O} {purpose}");
            RecoverInterruptedCollection(layout);
            var repo = new Repository(layout, config, catalog, BlockStore.OpenWriter(layout, config.ArenaSize, config.Codecs), writerLock);
            try { repo.WriteMissingRecords(); }
            catch { repo.Blocks.Dispose(); throw; } // the catalog and the lock are closed below
            return repo;
        }
        catch { catalog?.Dispose(); writerLock.Dispose(); throw; }
    }

    // A garbage collection killed part way is finished or undone here when no gc is running (a look at its state file,
    // so cheap), so its space comes back with the next snapshot rather than the next gc.
    private static void RecoverInterruptedCollection(StoreLayout layout)
    {
        if (!File.Exists(Collection.CollectionState.PathOf(layout))) return;
        if (Collection.CollectionState.Load(layout).Phase == Collection.CollectionPhase.Idle) return;
        using var gcLock = Collection.GcLock.TryAcquire(layout, out _);
        if (gcLock is null) return; // a gc is running: it is not interrupted
        if (Collection.CollectionRecovery.Recover(layout) is { } did) StoreWarnings.Warn(did);
    }

    private static void RequireDirectories(StoreLayout layout)
    {
        foreach (var d in new[] { layout.Arenas, layout.Index })
            if (!Directory.Exists(d)) throw new StoreFormatException(d, "directory is missing; the store is damaged");
    }

    private static bool CatalogPresent(StoreLayout layout) => new FileInfo(layout.Catalog) is { Exists: true, Length: > 0 };

    /// <summary>Bytes of block records in the arenas (headers not counted): nonzero means snapshots were taken here.</summary>
    public static long ArenaDataBytes(StoreLayout layout)
    {
        if (!Directory.Exists(layout.Arenas)) return 0;
        return Directory.EnumerateFiles(layout.Arenas, "*.arena").Sum(f => Math.Max(0, new FileInfo(f).Length - Arenas.ArenaFormat.HeaderSize));
    }

    // A missing or emptied catalog loses every snapshot record: say so, never start an empty one behind the user's back.
    private static void RequireCatalog(StoreLayout layout)
    {
        if (CatalogPresent(layout)) return;
        string what = File.Exists(layout.Catalog) ? "the catalog is empty (0 bytes)" : "the catalog is missing";
        long data = ArenaDataBytes(layout);
        throw new StoreFormatException(layout.Catalog, data > 0
            ? $"{what}; the store is damaged: its arenas hold {data} bytes of blocks but no snapshot can be found without the " +
              $"catalog. {StoreCatalog.RebuildHint}; or put back a copy of catalog.db, or start an empty catalog over the old " +
              "blocks with `timetravel init --new-catalog`"
            : $"{what}; the store is damaged (its arenas hold no blocks: `timetravel init` makes a new catalog)");
    }

    /// <summary>A snapshot by name, by id, or "latest"; HOST/NAME and HOST/latest for another host's (Naming.HostNames).</summary>
    public SnapshotRecord FindSnapshot(string nameOrId)
    {
        var all = Catalog.Snapshots();
        if (all.Count == 0) throw new StoreException($"{Layout.Root}: the store has no snapshots yet; take one with `timetravel snapshot`");
        return MatchSnapshot(all, nameOrId, allowPrefix: true)
            ?? throw new StoreException($"no snapshot '{nameOrId}' in {Layout.Root}; `timetravel list` shows them");
    }

    /// <summary>"latest", then an exact name, then an id, then (when allowed) the newest name starting with it; or null (HostNames.Match).</summary>
    public SnapshotRecord? MatchSnapshot(IReadOnlyList<SnapshotRecord> all, string nameOrId, bool allowPrefix) =>
        HostNames.Match(all, nameOrId, HostName, allowPrefix);

    public void Dispose()
    {
        Blocks.Dispose();
        Catalog.Dispose();
        _lock?.Dispose();
    }
}
