// A snapshot as `yesterday` and `history` need it: its name, its time, and what its name says (SnapshotNames), which
// is what choices compare and order by: root reads the catalog and a user the names at the root of the mount, and
// both must choose the same snapshot.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;

namespace TimeTravel.Store.History;

/// <param name="Time">When it was taken, in the store's zone: the catalog's exact time, or (read from the mount) the time its name says.</param>
/// <param name="Named">The time its name says, to the minute or second, in its store's zone; choices compare this.</param>
public sealed record SnapshotStamp(string Name, DateTimeOffset Time, long Id, NamedTime Named)
{
    /// <summary>From the catalog; a name that says no time (from an older version) counts as its recorded time in `zone`.</summary>
    public static SnapshotStamp Of(SnapshotRecord r, TimeZoneInfo zone) =>
        new(r.Name, TimeZoneInfo.ConvertTime(r.Time, zone), r.Id, SnapshotNames.Parse(r.Name, zone) ?? new NamedTime(TimeZoneInfo.ConvertTime(r.Time, zone), 0));

    /// <summary>A name at the root of the mount, read in the store's zone; null for day links, `latest` and other names.</summary>
    public static SnapshotStamp? FromName(string name, TimeZoneInfo zone) =>
        SnapshotNames.Parse(name, zone) is { } n ? new SnapshotStamp(name, n.Time, 0, n) : null;

    /// <summary>The day its name is on: its day link's name.</summary>
    public DateOnly Day => Named.Day;

    /// <summary>Oldest first, by what the names say (then the counter within a second, then the name), the same for every reader.</summary>
    public static List<SnapshotStamp> Ordered(IEnumerable<SnapshotStamp> stamps) => stamps.Order(TimeOrder).ToList();

    public static IComparer<SnapshotStamp> TimeOrder { get; } = Comparer<SnapshotStamp>.Create((a, b) =>
        a.Named.Time.CompareTo(b.Named.Time) is var c and not 0 ? c
        : a.Named.Counter.CompareTo(b.Named.Counter) is var n and not 0 ? n
        : string.CompareOrdinal(a.Name, b.Name));
}
