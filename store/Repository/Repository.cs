// A store opened for use: its layout, config, catalog and blocks, and (for the writer) the lock.
// Everything outside store/ reaches the store through this type, the tree reader and the catalog.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store;

public sealed class Repository : IDisposable
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

    /// <summary>Creates a store at root (mode 0700), or opens the one there; then records the source.</summary>
    public static Repository Init(string root, long arenaSize = Arenas.ArenaFormat.DefaultMaxArenaSize)
    {
        var layout = new StoreLayout(root);
        if (!File.Exists(layout.Config))
        {
            if (Directory.Exists(layout.Root) && Directory.EnumerateFileSystemEntries(layout.Root).Any())
                throw new StoreException($"{layout.Root}: directory exists, is not empty and is not a TimeTravel store");
            Directory.CreateDirectory(layout.Root);
            File.SetUnixFileMode(layout.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(layout.Arenas);
            Directory.CreateDirectory(layout.Index);
            Directory.CreateDirectory(layout.Journal);
            StoreConfig.New(arenaSize).Save(layout.Config + ".tmp");
            File.Move(layout.Config + ".tmp", layout.Config); // the config appears last: a half-made store is not a store
            Posix.PosixFs.FsyncDirectory(layout.Root);
        }
        return OpenWriter(root, "init");
    }

    public static Repository OpenReader(string root)
    {
        var layout = new StoreLayout(root);
        var config = StoreConfig.Load(layout.Config);
        RequireDirectories(layout);
        var catalog = StoreCatalog.Open(layout.Catalog, readOnly: false);
        try { return new Repository(layout, config, catalog, BlockStore.OpenReader(layout), null); }
        catch { catalog.Dispose(); throw; }
    }

    public static Repository OpenWriter(string root, string purpose)
    {
        var layout = new StoreLayout(root);
        var config = StoreConfig.Load(layout.Config);
        RequireDirectories(layout);
        var writerLock = WriterLock.Acquire(layout, purpose);
        StoreCatalog? catalog = null;
        try
        {
            catalog = StoreCatalog.Open(layout.Catalog, readOnly: false);
            return new Repository(layout, config, catalog, BlockStore.OpenWriter(layout, config.ArenaSize, config.Codecs), writerLock);
        }
        catch { catalog?.Dispose(); writerLock.Dispose(); throw; }
    }

    private static void RequireDirectories(StoreLayout layout)
    {
        foreach (var d in new[] { layout.Arenas, layout.Index })
            if (!Directory.Exists(d)) throw new StoreFormatException(d, "directory is missing; the store is damaged");
        Directory.CreateDirectory(layout.Journal);
    }

    /// <summary>A snapshot by name, by id, or "latest".</summary>
    public SnapshotRecord FindSnapshot(string nameOrId)
    {
        var all = Catalog.Snapshots();
        if (all.Count == 0) throw new StoreException($"{Layout.Root}: the store has no snapshots yet; take one with `timetravel snapshot`");
        if (nameOrId == "latest") return all[^1];
        var match = all.LastOrDefault(s => s.Name == nameOrId)
            ?? (long.TryParse(nameOrId, out long id) ? all.FirstOrDefault(s => s.Id == id) : null)
            ?? all.LastOrDefault(s => s.Name.StartsWith(nameOrId, StringComparison.Ordinal));
        return match ?? throw new StoreException($"no snapshot '{nameOrId}' in {Layout.Root}; `timetravel list` shows them");
    }

    public void Dispose()
    {
        Blocks.Dispose();
        Catalog.Dispose();
        _lock?.Dispose();
    }
}
