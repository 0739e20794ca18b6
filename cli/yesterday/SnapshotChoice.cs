// Which snapshot a `yesterday` invocation means: the newest, the newest at least N days (and hours) ago, the last
// one on a Plan 9 style date (d, dd, mmdd, yymmdd, yyyymmdd), or the newest at or before a given time.
// Pure logic: the clock and the snapshot list come in as arguments.
using System.Globalization;
using TimeTravel.Store.Catalog;

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

    /// <summary>Plan 9's date forms, relative to today: d or dd (this month), mmdd (this year), yymmdd, yyyymmdd.</summary>
    public static OnDate ParsePlan9Date(string digits, DateOnly today)
    {
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) throw new ChoiceException($"-{digits}: a date is d, dd, mmdd, yymmdd or yyyymmdd");
        try
        {
            return digits.Length switch
            {
                1 or 2 => new OnDate(new DateOnly(today.Year, today.Month, int.Parse(digits))),
                4 => new OnDate(new DateOnly(today.Year, int.Parse(digits[..2]), int.Parse(digits[2..]))),
                6 => new OnDate(new DateOnly(2000 + int.Parse(digits[..2]), int.Parse(digits[2..4]), int.Parse(digits[4..]))),
                8 => new OnDate(DateOnly.ParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture)),
                _ => throw new ChoiceException($"-{digits}: a date is d, dd, mmdd, yymmdd or yyyymmdd"),
            };
        }
        catch (ArgumentOutOfRangeException) { throw new ChoiceException($"-{digits}: no such date"); }
        catch (FormatException) { throw new ChoiceException($"-{digits}: no such date"); }
    }

    /// <summary>The chosen snapshot; ChoiceException naming the nearest snapshots when none fits.</summary>
    public SnapshotRecord Pick(IReadOnlyList<SnapshotRecord> snapshots, DateTimeOffset now)
    {
        if (snapshots.Count == 0) throw new ChoiceException("the store has no snapshots yet");
        var ordered = snapshots.OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();
        SnapshotRecord? pick = this switch
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
