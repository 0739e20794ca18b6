// The store as the mount sees it: the snapshot list, re-read when the catalog changes (so a snapshot taken or
// removed while mounted appears or disappears, and a host whose snapshots were imported appears), and the trees and
// blocks behind it.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;

namespace TimeTravel.Fs.Snapshots;

public sealed class SnapshotsView(Repository repo)
{
    private readonly object _lock = new();
    private IReadOnlyList<RootEntry> _entries = [];
    private IReadOnlyList<SnapshotRecord> _snapshots = [];
    private Dictionary<string, RootEntry> _byName = [];
    private MountListing _listing = new([], new Dictionary<string, IReadOnlyList<RootEntry>>());
    private Dictionary<(string Host, string Name), RootEntry> _byHostAndName = [];
    private string _host = "";
    private DateTime _stamp = DateTime.MinValue;
    private long _checkedAt = -1;

    public Repository Repository => repo;

    /// <summary>The zone the store's names are in (the first snapshot records it; until then, the system's).</summary>
    public TimeZoneInfo Zone => StoreZone.Of(repo);

    /// <summary>When the catalog last changed (UTC), as of the last re-read: the root directory's mtime.</summary>
    public DateTime ChangedAt { get { Entries(); return _stamp; } }

    /// <summary>The root entries; re-reads the catalog at most once a second, and only when its file changed.</summary>
    public IReadOnlyList<RootEntry> Entries()
    {
        long now = Environment.TickCount64;
        if (_checkedAt >= 0 && now - _checkedAt < 1000) return _entries;
        lock (_lock)
        {
            _checkedAt = now;
            var stamp = File.GetLastWriteTimeUtc(repo.Layout.Catalog);
            if (stamp != _stamp) Install(repo.Catalog.Snapshots(), stamp);
            return _entries;
        }
    }

    /// <summary>The store's own host name, as of the last re-read (the hidden link MOUNT/.host).</summary>
    public string Host { get { Entries(); lock (_lock) return _host; } }

    /// <summary>A host directory's entries, as of the same re-read as Entries; null for a host the root does not list.</summary>
    public IReadOnlyList<RootEntry>? Entries(string host)
    {
        Entries();
        lock (_lock) return _listing.Hosts.GetValueOrDefault(host);
    }

    /// <summary>
    /// The own host's snapshots, oldest first, as of the same re-read as Entries: a new list object whenever the
    /// catalog changed. (.history is the own host's: another host's /etc/fstab is another file.)
    /// </summary>
    public IReadOnlyList<SnapshotRecord> Snapshots()
    {
        Entries();
        lock (_lock) return _snapshots;
    }

    /// <summary>The catalog file's mtime the listing was made from: it changes whenever the listing may have.</summary>
    public DateTime Stamp { get { lock (_lock) return _stamp; } }

    /// <summary>Re-reads the catalog now if its file changed; true when it did (the root listing changed).</summary>
    public bool Refresh()
    {
        lock (_lock)
        {
            _checkedAt = -1;
            var before = _stamp;
            Entries();
            return _stamp != before;
        }
    }

    /// <summary>Starts from a snapshot list just read (by the pre-mount check), and the catalog's mtime before it was read.</summary>
    public void Prime(IReadOnlyList<SnapshotRecord> snapshots, DateTime catalogStamp)
    {
        lock (_lock)
        {
            Install(snapshots, catalogStamp);
            _checkedAt = Environment.TickCount64;
        }
    }

    // Under _lock: the snapshots read from the catalog as it was at `stamp`, and the listing made of them.
    private void Install(IReadOnlyList<SnapshotRecord> snapshots, DateTime stamp)
    {
        _host = repo.HostName;
        _listing = MountListing.Build(snapshots, Zone, _host);
        _byName = _listing.Root.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _byHostAndName = _listing.Hosts.SelectMany(h => h.Value.Select(e => (Key: (h.Key, e.Name), Entry: e))).ToDictionary(x => x.Key, x => x.Entry);
        _entries = _listing.Root;
        _snapshots = snapshots.Where(s => s.Host is null).OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();
        _stamp = stamp;
    }

    public RootEntry? Find(string name)
    {
        Entries();
        lock (_lock) return _byName.GetValueOrDefault(name);
    }

    /// <summary>The entry `name` in host `host`'s directory, or null.</summary>
    public RootEntry? Find(string host, string name)
    {
        Entries();
        lock (_lock) return _byHostAndName.GetValueOrDefault((host, name));
    }
}
