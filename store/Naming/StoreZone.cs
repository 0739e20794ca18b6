// The time zone a store's snapshot names are written in, fixed per store so that a name means one instant to every
// reader: root reading the catalog, a user reading the mount, with any TZ. It is the catalog setting "zone" (an IANA
// id, as Europe/Berlin), recorded by the first snapshot that finds it missing (for a new store the first snapshot; for
// a store written by a version without it, the next one) from the writer's zone. The mount shows it to everyone as
// the hidden link MOUNT/.zone -> Europe/Berlin.
namespace TimeTravel.Store.Naming;

public static class StoreZone
{
    public const string Setting = "zone";

    /// <summary>The name of the hidden link at the mount's root whose target is the store's zone id.</summary>
    public const string MountLink = ".zone";

    /// <summary>
    /// The store's zone: its setting, else (not yet recorded: a store written by an older version) the system's, which
    /// its snapshot timer wrote the names in and which root and the mount's daemon both read them in.
    /// </summary>
    public static TimeZoneInfo Of(Repository repo) =>
        repo.Catalog.Setting(Setting) is { } id ? Find(id, $"{repo.Layout.Catalog}: setting \"{Setting}\"") : System();

    /// <summary>For the writer, before it names a snapshot: the store's zone, recording this process's zone when there is none yet.</summary>
    public static TimeZoneInfo Fix(Repository repo)
    {
        if (repo.Catalog.Setting(Setting) is not null) return Of(repo);
        var zone = Recordable(TimeZoneInfo.Local);
        repo.SetRecordedSetting(Setting, zone.Id);
        return zone;
    }

    /// <summary>A zone by its id; StoreFormatException naming `where` when this system does not know it.</summary>
    public static TimeZoneInfo Find(string id, string where)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new StoreFormatException(where, $"'{id}' is not a time zone this system knows (see /usr/share/zoneinfo)");
        }
    }

    /// <summary>
    /// The zone to read names in when the store's is not known (a store or mount made by an older version): the
    /// system's (/etc/localtime), which the snapshot timer runs in, not the reader's TZ.
    /// </summary>
    public static TimeZoneInfo System()
    {
        var link = new FileInfo("/etc/localtime").LinkTarget;
        int at = link?.IndexOf("zoneinfo/", StringComparison.Ordinal) ?? -1;
        if (at >= 0)
            try { return TimeZoneInfo.FindSystemTimeZoneById(link![(at + "zoneinfo/".Length)..]); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { }
        return TimeZoneInfo.Utc;
    }

    // A zone whose id can be looked up again; a zone known only from a file (no id) is recorded as UTC.
    private static TimeZoneInfo Recordable(TimeZoneInfo zone)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(zone.Id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return TimeZoneInfo.Utc; }
    }
}
