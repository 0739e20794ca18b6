// Which snapshot a `yesterday` invocation means: the newest, the newest at least N days (and hours) ago, the last
// one on a Plan 9 style date (d, dd, mmdd, yymmdd, yyyymmdd), or the newest at or before a given time.
// Pure logic: the clock and the snapshot list come in as arguments.
using System.Globalization;
using TimeTravel.Store.History;

namespace TimeTravel.Yesterday;

public abstract record SnapshotChoice
{
    public sealed record Newest : SnapshotChoice;
    public sealed record DaysAgo(int Days, int Hours) : SnapshotChoice;
    public sealed record OnDate(DateOnly Date) : SnapshotChoice;
    public sealed record AtOrBefore(DateTimeOffset Time) : SnapshotChoice;

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

    /// <summary>The chosen snapshot of `snapshots` (oldest first); ChoiceException naming the nearest snapshots when none fits.</summary>
    public SnapshotStamp Pick(IReadOnlyList<SnapshotStamp> snapshots, DateTimeOffset now)
    {
        if (snapshots.Count == 0) throw new ChoiceException("the store has no snapshots yet");
        var ordered = SnapshotStamp.Ordered(snapshots);
        SnapshotStamp? pick = this switch
        {
            Newest => ordered[^1],
            DaysAgo d => ordered.LastOrDefault(s => s.Time <= now - TimeSpan.FromDays(d.Days) - TimeSpan.FromHours(d.Hours)),
            OnDate d => ordered.LastOrDefault(s => DateOnly.FromDateTime(s.Time.DateTime) == d.Date),
            AtOrBefore a => ordered.LastOrDefault(s => s.Time <= a.Time),
            _ => null,
        };
        if (pick is not null) return pick;
        DateTimeOffset target = this switch
        {
            DaysAgo d => now - TimeSpan.FromDays(d.Days) - TimeSpan.FromHours(d.Hours),
            OnDate d => new DateTimeOffset(d.Date.ToDateTime(TimeOnly.MinValue), ordered[0].Time.Offset),
            AtOrBefore a => a.Time,
            _ => now,
        };
        var before = ordered.LastOrDefault(s => s.Time <= target);
        var after = ordered.FirstOrDefault(s => s.Time > target);
        string nearest = string.Join(" and ", new[] { before, after }.Where(s => s is not null).Select(s => s!.Name));
        throw new ChoiceException($"no snapshot {Describe()}; nearest: {nearest}");
    }

    private string Describe() => this switch
    {
        DaysAgo d => $"{d.Days} days {d.Hours} hours ago or earlier",
        OnDate d => $"on {d.Date:yyyy-MM-dd}",
        AtOrBefore a => $"at or before {a.Time:yyyy-MM-dd HH:mm:ss}",
        _ => "at all",
    };
}

public sealed class ChoiceException(string message) : Exception(message);
