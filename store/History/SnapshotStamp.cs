// A snapshot as `yesterday` and `history` need it: its name, its local time and its place in time order. Read
// from the catalog, or parsed from the names at the root of a mount when the store itself cannot be read.
using System.Globalization;
using System.Text.RegularExpressions;
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store.History;

public sealed partial record SnapshotStamp(string Name, DateTimeOffset Time, long Id)
{
    public static SnapshotStamp Of(SnapshotRecord r) => new(r.Name, r.Time, r.Id);

    /// <summary>Oldest first, as the catalog and the mount list them.</summary>
    public static List<SnapshotStamp> Ordered(IEnumerable<SnapshotStamp> stamps) => stamps.OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();

    /// <summary>
    /// A snapshot directory's name (YYYY-MM-DD_HHMM, YYYY-MM-DD_HHMMSS or YYYY-MM-DD_HHMMSS.N, local time; see
    /// SnapshotNaming) read back as a time in `zone`; null for anything else (day links, `latest`, other names).
    /// The id orders snapshots of the same second by their .N suffix.
    /// </summary>
    public static SnapshotStamp? Parse(string name, TimeZoneInfo zone)
    {
        var m = NamePattern().Match(name);
        if (!m.Success) return null;
        string format = m.Groups["ss"].Success ? "yyyy-MM-dd_HHmmss" : "yyyy-MM-dd_HHmm";
        string text = m.Groups["ss"].Success ? name[..17] : name[..15];
        if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        long n = m.Groups["n"].Success && long.TryParse(m.Groups["n"].Value, out long x) ? x : 0;
        return new SnapshotStamp(name, new DateTimeOffset(local, zone.GetUtcOffset(local)), n);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}_\d{4}(?<ss>\d{2}(\.(?<n>\d+))?)?$")]
    private static partial Regex NamePattern();
}
