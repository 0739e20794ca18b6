// Many hosts in one catalog: the store's own host name, the own host's snapshots (the only ones a snapshot builds on,
// retention plans for, and forget, pin and rollback act on), and other hosts' snapshots imported into the catalog
// (kept as their host recorded them; their records live with that host, not in these arenas). Names: Naming.HostNames.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;

namespace TimeTravel.Store;

public sealed partial class Repository
{
    /// <summary>The store's own host: its recorded setting "host" (set by `init`); for a store made before, the machine's short name.</summary>
    public string HostName => Catalog.Setting(HostNames.Setting) ?? HostNames.OfMachine();

    /// <summary>Records the store's own host name (`init --host`, or the machine's at `init`).</summary>
    public void SetHostName(string host) => SetRecordedSetting(HostNames.Setting, HostNames.Check(host, "--host"));

    /// <summary>The own host's snapshots, oldest first: what a snapshot builds on, retention keeps, `yesterday` reads.</summary>
    public List<SnapshotRecord> OwnSnapshots() => Catalog.Snapshots().Where(s => s.Host is null).ToList();

    /// <summary>
    /// Adds another host's snapshot to the catalog under a new local id, without a record block (its record is that
    /// host's). Importing a snapshot whose host already has one of that name adds nothing. Returns the new id, or null
    /// when it was there already.
    /// </summary>
    public long? ImportForeignSnapshot(SnapshotRecord record) => ImportForeignSnapshots([record]) is [var id] ? id : null;

    /// <summary>ImportForeignSnapshot for many at once, in one catalog transaction; the ids of the ones added.</summary>
    public IReadOnlyList<long> ImportForeignSnapshots(IReadOnlyList<SnapshotRecord> records)
    {
        if (!IsWriter) throw new StoreException($"{Layout.Root}: importing snapshots needs the store opened for writing");
        string own = HostName;
        foreach (var r in records)
        {
            if (r.Host is null) throw new StoreException($"snapshot {r.Name}: an imported snapshot names the host it was taken on");
            HostNames.Check(r.Host, $"snapshot {r.Name}: host");
            if (r.Host == own) throw new StoreException($"snapshot {HostNames.Display(r)}: {own} is this store's own host; its snapshots are taken here, not imported");
        }
        // Ids of the other host mean nothing here: its pre checkpoint and the snapshot its changes are against are unknown.
        return Catalog.ImportSnapshots(records.Select(r => r with { Id = 0, PreId = 0, ChangedSince = -1 }).ToList());
    }

    /// <summary>Refuses (StoreException) to `verb` another host's snapshot: only its own host changes it.</summary>
    public static void RequireOwn(SnapshotRecord s, string verb)
    {
        if (s.Host is not null)
            throw new StoreException($"snapshot {HostNames.Display(s)} belongs to host {s.Host}; {verb} it there");
    }
}
