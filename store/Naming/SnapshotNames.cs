// Snapshot names: the one place that writes them and reads them back. A name is the snapshot's local time in its
// store's zone (StoreZone), to the minute: 2026-12-02_1857. Seconds are added only when two would share a minute
// (2026-12-02_185719), then a three-digit counter when they would share a second too (2026-12-02_185719.001, .002,
// ... .999, then .999001: every step sorts after the one before). A local time the zone repeats (the hour after
// daylight saving time ends) is, on its second pass, written with an "h" between hour and minutes and its UTC offset
// (2024-10-27_02h10+0100): "h" sorts after every digit, so the name sorts after the hour's first pass and before the
// next hour, and the offset says which pass it was. So a name and its store's zone determine the instant, whoever
// reads it and in whatever TZ; the reader's own zone never enters.
//
// Names written by older versions stay readable: a ".N" counter without padding (its value orders it, not its
// text), and any name with an explicit offset.
using System.Globalization;
using System.Text.RegularExpressions;

namespace TimeTravel.Store.Naming;

/// <summary>What a snapshot's name says: its local time with its UTC offset, and its counter within one second (0 for none).</summary>
public readonly record struct NamedTime(DateTimeOffset Time, long Counter)
{
    /// <summary>The calendar day the name is on (its day link's name in the mount).</summary>
    public DateOnly Day => DateOnly.FromDateTime(Time.DateTime);
}

public static partial class SnapshotNames
{
    /// <summary>The name for a snapshot taken at `time`, in `zone`, unlike every name in `taken`.</summary>
    public static string For(DateTimeOffset time, TimeZoneInfo zone, IEnumerable<string> taken)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var names = taken as IReadOnlySet<string> ?? taken.ToHashSet(StringComparer.Ordinal);
        bool secondPass = zone.IsAmbiguousTime(local) && local.Offset < zone.GetAmbiguousTimeOffsets(local).Max();
        string hour = local.ToString("yyyy-MM-dd_HH", CultureInfo.InvariantCulture) + (secondPass ? "h" : "");
        string minute = hour + local.ToString("mm", CultureInfo.InvariantCulture);
        string seconds = minute + local.ToString("ss", CultureInfo.InvariantCulture);
        string offset = secondPass ? Offset(local.Offset) : "";

        if (!names.Contains(minute + offset)) return minute + offset;
        if (!names.Contains(seconds + offset)) return seconds + offset;
        for (long i = 1; ; i++)
        {
            string name = seconds + "." + Counter(i) + offset;
            if (!names.Contains(name)) return name;
        }
    }

    /// <summary>
    /// What a snapshot directory's name says, read in its store's zone (a name with an offset carries its own); null for
    /// anything else (day links, `latest`, other names).
    /// </summary>
    public static NamedTime? Parse(string name, TimeZoneInfo zone)
    {
        var m = NamePattern().Match(name);
        if (!m.Success) return null;
        string text = m.Groups["date"].Value + m.Groups["hh"].Value + m.Groups["mm"].Value + (m.Groups["ss"].Success ? m.Groups["ss"].Value : "00");
        if (!DateTime.TryParseExact(text, "yyyy-MM-ddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        long counter = 0;
        if (m.Groups["n"].Success && !long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out counter)) return null;
        TimeSpan offset;
        if (m.Groups["off"].Success)
        {
            var o = m.Groups["off"].Value;
            int hours = int.Parse(o.AsSpan(1, 2), CultureInfo.InvariantCulture), minutes = int.Parse(o.AsSpan(3, 2), CultureInfo.InvariantCulture);
            if (hours > 14 || minutes > 59) return null;
            offset = new TimeSpan(hours, minutes, 0) * (o[0] == '-' ? -1 : 1);
        }
        else if (m.Groups["h"].Success) return null; // a second pass always says its offset
        else offset = OffsetOf(local, zone);
        try { return new NamedTime(new DateTimeOffset(local, offset), counter); }
        catch (ArgumentException) { return null; } // outside the representable range
    }

    /// <summary>The name of a day's link in the mount (to that day's last snapshot).</summary>
    public static string DayName(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The day a snapshot is on: the one its name says; for a name that says none, its time's day in `zone`.</summary>
    public static DateOnly DayOf(string name, DateTimeOffset time, TimeZoneInfo zone) =>
        Parse(name, zone)?.Day ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, zone).DateTime);

    // A plain name in the repeated hour is its first pass (the larger offset); any other, the zone's offset then.
    private static TimeSpan OffsetOf(DateTime local, TimeZoneInfo zone) =>
        zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);

    // 1..999 as 001..999, then 999001..999999, then 999999001...: each sorts, as text, after the one before.
    private static string Counter(long i)
    {
        long rounds = (i - 1) / 999, rest = (i - 1) % 999 + 1;
        return string.Concat(Enumerable.Repeat("999", (int)rounds)) + rest.ToString("D3", CultureInfo.InvariantCulture);
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})_(?<hh>\d{2})(?<h>h)?(?<mm>\d{2})(?:(?<ss>\d{2})(?:\.(?<n>\d{1,18}))?)?(?<off>[+-]\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
