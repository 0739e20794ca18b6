// The duration of --keep-within, in restic's grammar: NUMBER UNIT pairs with the units y (calendar years), m
// (calendar months), d (days) and h (hours), as 2d12h or 1y6m. Years, months and days are calendar steps back from
// the newest snapshot's local time in the store's zone (so 1d over a DST change is 23 or 25 hours, and 1m from
// 31 March lands on 3 March, as Go's AddDate that restic uses normalises 31 February); hours are hours.
namespace TimeTravel.Store.Retention;

public sealed record KeepWithin(int Years, int Months, int Days, int Hours)
{
    public static readonly KeepWithin Zero = new(0, 0, 0, 0);

    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    /// <summary>Parses "2d12h"; RetentionPolicyException naming the text and what is wrong with it.</summary>
    public static KeepWithin Parse(string text)
    {
        string s = text.Trim();
        if (s.Length == 0) throw Bad(text, "it is empty");
        int? y = null, mo = null, d = null, h = null;
        int at = 0;
        while (at < s.Length)
        {
            if (s[at] == '-') throw Bad(text, "durations containing negative values are not allowed");
            int start = at;
            while (at < s.Length && char.IsAsciiDigit(s[at])) at++;
            if (at == start) throw Bad(text, $"no number at '{s[start..]}'");
            if (!int.TryParse(s.AsSpan(start, at - start), out int n)) throw Bad(text, $"{s[start..at]} is too large");
            if (at == s.Length) throw Bad(text, $"no unit after the number {n}");
            char unit = s[at++];
            ref int? slot = ref y;
            switch (unit)
            {
                case 'y': slot = ref y; break;
                case 'm': slot = ref mo; break;
                case 'd': slot = ref d; break;
                case 'h': slot = ref h; break;
                default: throw Bad(text, $"invalid unit '{unit}' after the number {n}");
            }
            // restic lets a later 1d override an earlier 2d; a duration that says two things is more likely a typo.
            if (slot is not null) throw Bad(text, $"the unit '{unit}' is given twice");
            slot = n;
        }
        return new KeepWithin(y ?? 0, mo ?? 0, d ?? 0, h ?? 0);
    }

    private static RetentionPolicyException Bad(string text, string problem) =>
        new($"--keep-within '{text}': {problem} (a duration is NUMBER UNIT pairs with the units y, m, d, h, as 2d12h or 1y6m)");

    /// <summary>restic's form: the non-zero parts in the order y m d h ("1y6m", "2d12h"); "0h" for zero.</summary>
    public override string ToString()
    {
        string s = (Years != 0 ? $"{Years}y" : "") + (Months != 0 ? $"{Months}m" : "") + (Days != 0 ? $"{Days}d" : "") + (Hours != 0 ? $"{Hours}h" : "");
        return s.Length == 0 ? "0h" : s;
    }

    /// <summary>
    /// The instant this duration reaches back to from `newest`: a snapshot taken strictly after it is within. The
    /// calendar part steps back on the local date in `zone`, normalising an overflowing day as Go's AddDate does
    /// (31 March less 1m is "31 February", that is 3 March); the hours are then subtracted as elapsed time.
    /// </summary>
    public DateTimeOffset Cutoff(DateTimeOffset newest, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(newest, zone);
        try
        {
            long months = (long)local.Year * 12 + (local.Month - 1) - (long)Years * 12 - Months;
            if (months < 12) return DateTimeOffset.MinValue; // before year 1: every snapshot is within
            var firstOfMonth = new DateTime((int)(months / 12), (int)(months % 12) + 1, 1);
            var wall = firstOfMonth.AddDays(local.Day - 1 - (long)Days) + local.TimeOfDay;
            return Instant(wall, zone).AddHours(-Hours);
        }
        catch (ArgumentOutOfRangeException) { return DateTimeOffset.MinValue; } // reaches past year 1
    }

    // A local wall-clock time as an instant. A time the fall-back hour shows twice is its first (earlier) instant,
    // which keeps more; a time the spring-forward gap skips is read with the offset before the gap, past it.
    private static DateTimeOffset Instant(DateTime wall, TimeZoneInfo zone)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(wall)) return new DateTimeOffset(wall, zone.GetAmbiguousTimeOffsets(wall).Max());
        if (zone.IsInvalidTime(wall)) return new DateTimeOffset(wall, zone.GetUtcOffset(wall.AddDays(-1)));
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
