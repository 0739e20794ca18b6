// Which host a snapshot is of, and how names say it: the one place for both. Several hosts write into one store; each
// host's catalog holds its own snapshots (Host null) and those of the others it imported (Host set). A snapshot's
// display name is its Name for the own host and HOST/NAME for another one; "web1/2026-12-02_1400" and "web1/latest"
// name another host's snapshots, while a bare name or "latest" means the own host's, which is what a user on that host
// means by them. The own host's name is the recorded setting "host" (set by `init`), for stores made before it the
// machine's short host name. The mount shows it to everyone as the hidden link MOUNT/.host -> NAME.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store.Naming;

public static class HostNames
{
    public const string Setting = "host";

    /// <summary>The name of the hidden link at the mount's root whose target is the store's own host name.</summary>
    public const string MountLink = ".host";

    /// <summary>What separates a host from a snapshot name in HOST/NAME.</summary>
    public const char Separator = '/';

    public const int MaxLength = 63;

    /// <summary>Why `host` cannot be a host name (1 to 63 of A-Z a-z 0-9 . _ -, not "." or ".."); null when it can.</summary>
    public static string? Problem(string host)
    {
        if (host.Length is 0 or > MaxLength) return $"a host name is 1 to {MaxLength} characters long";
        if (host is "." or "..") return "a host name is not \".\" or \"..\"";
        foreach (char c in host)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return $"a host name holds only letters, digits, '.', '_' and '-' (not '{c}')";
        return null;
    }

    /// <summary>`host` when it is a valid host name; else a StoreException saying why, naming `what` it is.</summary>
    public static string Check(string host, string what) =>
        Problem(host) is { } problem ? throw new StoreException($"{what} '{host}' is not a host name: {problem}") : host;

    /// <summary>This machine's short host name (up to the first dot), for a store that records none.</summary>
    public static string OfMachine() => Environment.MachineName.Split('.')[0];

    /// <summary>The host a snapshot is of: its Host, or `own` for the store's own snapshots.</summary>
    public static string Of(SnapshotRecord s, string own) => s.Host ?? own;

    /// <summary>The snapshot's name as users see and type it: NAME for the own host, HOST/NAME for another.</summary>
    public static string Display(SnapshotRecord s) => s.Host is null ? s.Name : s.Host + Separator + s.Name;

    /// <summary>Whether the snapshots hold more than the own host's (then lists and the mount show the host).</summary>
    public static bool Many(IEnumerable<SnapshotRecord> snapshots) => snapshots.Any(s => s.Host is not null);

    /// <summary>The hosts the snapshots are of, the own one first, then the others by name.</summary>
    public static IReadOnlyList<string> All(IEnumerable<SnapshotRecord> snapshots, string own) =>
        snapshots.Where(s => s.Host is not null).Select(s => s.Host!).Where(h => h != own).Distinct()
            .Order(StringComparer.Ordinal).Prepend(own).ToList();

    /// <summary>The snapshots of host `host` (`own` is the store's own host name).</summary>
    public static IReadOnlyList<SnapshotRecord> OfHost(IEnumerable<SnapshotRecord> snapshots, string host, string own) =>
        snapshots.Where(s => host == own ? s.Host is null : s.Host == host).ToList();

    /// <summary>
    /// The snapshot `spec` names, or null. HOST/REST looks REST up among that host's snapshots (the own host's when HOST
    /// is `own`); a bare REST among the own host's, except an id, which is the store's and names any host's snapshot.
    /// REST is "latest", then an exact name, then (when allowed) the newest name starting with it.
    /// </summary>
    public static SnapshotRecord? Match(IReadOnlyList<SnapshotRecord> all, string spec, string own, bool allowPrefix)
    {
        int slash = spec.IndexOf(Separator);
        var host = slash < 0 ? own : spec[..slash];
        string rest = slash < 0 ? spec : spec[(slash + 1)..];
        var ofHost = OfHost(all, host, own);
        if (rest == "latest") return ofHost.LastOrDefault();
        return ofHost.LastOrDefault(s => s.Name == rest)
            ?? (slash < 0 && long.TryParse(rest, out long id) ? all.FirstOrDefault(s => s.Id == id) : null)
            ?? (allowPrefix && rest.Length > 0 ? ofHost.LastOrDefault(s => s.Name.StartsWith(rest, StringComparison.Ordinal)) : null);
    }

    /// <summary>Where a host's snapshots are in the mount: MOUNT/HOST when the root shows hosts (`hosted`), else MOUNT itself.</summary>
    public static string MountDirectory(string mountPoint, string host, bool hosted) =>
        hosted ? (mountPoint.Length > 1 ? mountPoint.TrimEnd('/') : "") + "/" + host : mountPoint;
}
