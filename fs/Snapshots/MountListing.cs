// The names the mount shows above the snapshots' trees, computed as plain data. A store with only its own host's
// snapshots shows them at the root as it always did (RootListing). A catalog that holds other hosts' snapshots too
// (Naming.HostNames) shows one directory per host at the root, the own host's under its name as well, and inside each
// that host's snapshots, day links and `latest`, as a single-host root shows them.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;

namespace TimeTravel.Fs.Snapshots;

public sealed record MountListing(IReadOnlyList<RootEntry> Root, IReadOnlyDictionary<string, IReadOnlyList<RootEntry>> Hosts)
{
    /// <summary>Whether the root holds host directories (the catalog holds more than the own host's snapshots).</summary>
    public bool Hosted => Hosts.Count > 0;

    public static MountListing Build(IReadOnlyList<SnapshotRecord> snapshots, TimeZoneInfo zone, string ownHost)
    {
        if (!HostNames.Many(snapshots)) return new MountListing(RootListing.Build(snapshots, zone), new Dictionary<string, IReadOnlyList<RootEntry>>());
        var hosts = new Dictionary<string, IReadOnlyList<RootEntry>>(StringComparer.Ordinal);
        var root = new List<RootEntry>();
        foreach (string host in HostNames.All(snapshots, ownHost))
        {
            var listing = RootListing.Build(HostNames.OfHost(snapshots, host, ownHost), zone);
            // A host directory carries its newest snapshot (for its times); the own host's may have none yet.
            if (listing.LastOrDefault(e => e.Kind == RootEntryKind.LatestLink) is not { } latest) continue;
            hosts[host] = listing;
            root.Add(new RootEntry(host, RootEntryKind.Host, latest.Snapshot));
        }
        return new MountListing(root, hosts);
    }
}
