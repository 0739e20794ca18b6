// Which snapshot a `yesterday` invocation means: the newest, the newest at least N days (and hours) ago, the last
// one on a Plan 9 style date (d, dd, mmdd, yymmdd, yyyymmdd), or the newest at or before a given time.
// Snapshots are compared by the time their names say (SnapshotStamp.Named), in the store's zone, so root (reading the
// catalog) and a user (reading the mount) choose the same one, whatever TZ each has.
// Pure logic: the clock, the zone and the snapshot list come in as arguments.
using System.Globalization;
using System.Text.RegularExpressions;
using TimeTravel.Store.History;

namespace TimeTravel.Yesterday;

public abstract partial record SnapshotChoice
{
    public sealed record Newest : SnapshotChoice;
    public sealed record DaysAgo(int Days, int Hours) : SnapshotChoice;
    public sealed record OnDate(DateOnly Date) : SnapshotChoice;

    /// <summary>
    /// --at: the newest snapshot at or before a time, which is the whole of the period it was given to: a day, an
    /// hour, a minute or a second (18:57 takes a snapshot named _1857 taken at 18:57:19); to an exact instant when
    /// given with a fraction of a second. Offset null: a local time in the store's zone, as the names are.
    /// </summary>
    public sealed record AtOrBefore(DateTime Local, TimeSpan? Offset, TimeSpan Period) : SnapshotChoice
    {
        public AtOrBefore(DateTimeOffset instant) : this(instant.DateTime, instant.Offset, TimeSpan.Zero) { }

        public DateTimeOffset Start(TimeZoneInfo zone) => At(Local, zone);

        /// <summary>Whether a snapshot whose name says `t` is at or before this time.</summary>
        public bool Admits(DateTimeOffset t, TimeZoneInfo zone) => Period == TimeSpan.Zero ? t <= Start(zone) : t < At(Local + Period, zone);

        private DateTimeOffset At(DateTime local, TimeZoneInfo zone) =>
            new(local, Offset ?? zone.GetUtcOffset(local)); // a repeated local time is its second pass: the later, so more is admitted
    }

    /// <summary>The text of --at: YYYY-MM-DD, optionally with [T ]HH, HH:MM, HH:MM:SS or HH:MM:SS.FFF and an offset (Z, +HH:MM); else any form .NET reads.</summary>
    public static AtOrBefore ParseAt(string text)
    {
        var m = AtPattern().Match(text);
        if (m.Success)
        {
            var g = m.Groups;
            string iso = g["d"].Value + "T" + (g["H"].Success ? g["H"].Value.PadLeft(2, '0') : "00") + ":" + (g["M"].Success ? g["M"].Value : "00")
                + ":" + (g["S"].Success ? g["S"].Value : "00") + (g["F"].Success ? g["F"].Value : "");
            if (!DateTime.TryParseExact(iso, ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                throw new ChoiceException($"--at: no such date and time: '{text}'");
            TimeSpan? offset = null;
            if (g["z"].Success)
            {
                string z = g["z"].Value;
                if (z == "Z") offset = TimeSpan.Zero;
                else
                {
                    string digits = z[1..].Replace(":", "");
                    int hh = int.Parse(digits[..2], CultureInfo.InvariantCulture), mm = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                    if (hh > 14 || mm > 59) throw new ChoiceException($"--at: '{z}' is not a UTC offset");
                    offset = new TimeSpan(hh, mm, 0) * (z[0] == '-' ? -1 : 1);
                }
            }
            var period = g["F"].Success ? TimeSpan.Zero : g["S"].Success ? TimeSpan.FromSeconds(1) : g["M"].Success ? TimeSpan.FromMinutes(1)
                : g["H"].Success ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
            return new AtOrBefore(local, offset, period);
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var other))
            return other.Kind == DateTimeKind.Utc ? new AtOrBefore(other, TimeSpan.Zero, TimeSpan.Zero) : new AtOrBefore(other, null, TimeSpan.Zero);
        throw new ChoiceException($"--at: cannot read '{text}' as a date and time (YYYY-MM-DD HH:MM, optionally with :SS and an offset)");
    }

    [GeneratedRegex(@"^\s*(?<d>\d{4}-\d{2}-\d{2})(?:[T ](?<H>\d{1,2})(?::(?<M>\d{2})(?::(?<S>\d{2})(?<F>\.\d{1,7})?)?)?)?\s*(?<z>Z|[+-]\d{2}(?::?\d{2})?)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AtPattern();

    /// <summary>"N" or "N:H" for -n.</summary>
    public static DaysAgo ParseDaysAgo(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out int d) || d < 0
            || (parts.Length == 2 && (!int.TryParse(parts[1], out int h0) || h0 < 0)))
            throw new ChoiceException($"-n takes DAYS or DAYS:HOURS, not '{text}'");
        return new DaysAgo(d, parts.Length == 2 ? int.Parse(parts[1]) : 0);
    }

    /// <summary>
    /// Plan 9's date forms, relative to today: d or dd, mmdd, yymmdd, yyyymmdd. A short form means the most recent
    /// such date, as Plan 9's did: on December 1, -26 is November 26 and -1231 last year's December 31; -31 skips
    /// the months without a 31st.
    /// </summary>
    public static OnDate ParsePlan9Date(string digits, DateOnly today)
    {
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) throw new ChoiceException($"-{digits}: a date is d, dd, mmdd, yymmdd or yyyymmdd");
        try
        {
            return digits.Length switch
            {
                1 or 2 => new OnDate(MostRecent(today, 12, back => today.AddMonths(-back), d => Day(d.Year, d.Month, int.Parse(digits)))
                    ?? throw new ChoiceException($"-{digits}: no month has that day")),
                4 => new OnDate(MostRecent(today, 8, back => today.AddYears(-back), d => Day(d.Year, int.Parse(digits[..2]), int.Parse(digits[2..])))
                    ?? throw new ChoiceException($"-{digits}: no such date")),
                6 => new OnDate(new DateOnly(2000 + int.Parse(digits[..2]), int.Parse(digits[2..4]), int.Parse(digits[4..]))),
                8 => new OnDate(DateOnly.ParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture)),
                _ => throw new ChoiceException($"-{digits}: a date is d, dd, mmdd, yymmdd or yyyymmdd"),
            };
        }
        catch (ArgumentOutOfRangeException) { throw new ChoiceException($"-{digits}: no such date"); }
        catch (FormatException) { throw new ChoiceException($"-{digits}: no such date"); }
    }

    // The first of candidate(step(0)), candidate(step(1)), ... that exists and is not after today.
    private static DateOnly? MostRecent(DateOnly today, int steps, Func<int, DateOnly> step, Func<DateOnly, DateOnly?> candidate)
    {
        for (int back = 0; back <= steps; back++)
            if (candidate(step(back)) is { } d && d <= today) return d;
        return null;
    }

    private static DateOnly? Day(int year, int month, int day)
    {
        if (month is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(month));
        if (day is < 1 or > 31) throw new ArgumentOutOfRangeException(nameof(day));
        return day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>The chosen snapshot of `snapshots`; ChoiceException naming the nearest snapshots when none fits.</summary>
    public SnapshotStamp Pick(IReadOnlyList<SnapshotStamp> snapshots, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (snapshots.Count == 0) throw new ChoiceException("the store has no snapshots yet");
        var ordered = SnapshotStamp.Ordered(snapshots);
        SnapshotStamp? pick = this switch
        {
            Newest => ordered[^1],
            DaysAgo d => ordered.LastOrDefault(s => s.Named.Time <= now - TimeSpan.FromDays(d.Days) - TimeSpan.FromHours(d.Hours)),
            OnDate d => ordered.LastOrDefault(s => s.Day == d.Date),
            AtOrBefore a => ordered.LastOrDefault(s => a.Admits(s.Named.Time, zone)),
            _ => null,
        };
        if (pick is not null) return pick;
        Func<SnapshotStamp, bool> before = this switch
        {
            DaysAgo d => s => s.Named.Time <= now - TimeSpan.FromDays(d.Days) - TimeSpan.FromHours(d.Hours),
            OnDate d => s => s.Day < d.Date,
            AtOrBefore a => s => a.Admits(s.Named.Time, zone),
            _ => _ => true,
        };
        var last = ordered.LastOrDefault(before);
        var next = ordered.FirstOrDefault(s => !before(s));
        string nearest = string.Join(" and ", new[] { last, next }.Where(s => s is not null).Select(s => s!.Name));
        throw new ChoiceException($"no snapshot {Describe(zone)}; nearest: {nearest}");
    }

    private string Describe(TimeZoneInfo zone) => this switch
    {
        DaysAgo d => $"{d.Days} days {d.Hours} hours ago or earlier",
        OnDate d => $"on {d.Date:yyyy-MM-dd}",
        AtOrBefore a => $"at or before {a.Start(zone).ToString(a.Period.TotalSeconds switch
        {
            0 => "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", 1 => "yyyy-MM-dd HH:mm:ss zzz", 60 => "yyyy-MM-dd HH:mm zzz", 3600 => "yyyy-MM-dd HH 'h' zzz", _ => "yyyy-MM-dd",
        }, CultureInfo.InvariantCulture)}",
        _ => "at all",
    };
}

public sealed class ChoiceException(string message) : Exception(message);
