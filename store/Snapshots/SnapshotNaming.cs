// Snapshot names: local date and time to the minute, seconds added only when two would clash. Names sort in time
// order. When the clock goes back (the hour repeated when daylight saving time ends), a later snapshot's natural name
// would sort before an earlier one's (02:10 after 02:30); it is then written with an "h" between hour and minutes and
// its UTC offset (2024-10-27_02h10+0100): "h" sorts after every digit, so the name sorts after the hour's first pass
// and before the next hour.
namespace TimeTravel.Store.Snapshots;

public static class SnapshotNaming
{
    public static string NameFor(DateTimeOffset localTime, IEnumerable<string> existing) =>
        Unique(localTime, existing.ToHashSet(StringComparer.Ordinal), "yyyy-MM-dd_HHmm", "");

    /// <summary>The name for a snapshot at localTime, given the names and times of the snapshots already taken.</summary>
    public static string NameFor(DateTimeOffset localTime, IEnumerable<(string Name, DateTimeOffset Time)> existing)
    {
        var all = existing.ToList();
        var taken = all.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        string name = Unique(localTime, taken, "yyyy-MM-dd_HHmm", "");
        bool SortsBeforeAnEarlierOne(string n) => all.Any(s => s.Time < localTime && string.CompareOrdinal(s.Name, n) >= 0);
        if (!SortsBeforeAnEarlierOne(name)) return name;
        string repeated = Unique(localTime, taken, "yyyy-MM-dd_HH'h'mm", localTime.ToString("zzz").Replace(":", ""));
        return SortsBeforeAnEarlierOne(repeated) ? name : repeated;
    }

    // format to the minute, then with seconds, then with .1, .2... until the name is free; suffix (an offset) last.
    private static string Unique(DateTimeOffset t, HashSet<string> taken, string minuteFormat, string suffix)
    {
        string name = t.ToString(minuteFormat) + suffix;
        if (!taken.Contains(name)) return name;
        string seconds = t.ToString(minuteFormat + "ss");
        name = seconds + suffix;
        for (int i = 1; taken.Contains(name); i++) name = seconds + "." + i + suffix;
        return name;
    }
}
