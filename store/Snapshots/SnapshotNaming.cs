// Snapshot names: local date and time to the minute, seconds added only when two would clash. Names sort in time order.
namespace TimeTravel.Store.Snapshots;

public static class SnapshotNaming
{
    public static string NameFor(DateTimeOffset localTime, IEnumerable<string> existing)
    {
        var taken = existing.ToHashSet(StringComparer.Ordinal);
        string name = localTime.ToString("yyyy-MM-dd_HHmm");
        if (!taken.Contains(name)) return name;
        name = localTime.ToString("yyyy-MM-dd_HHmmss");
        for (int i = 1; taken.Contains(name); i++) name = localTime.ToString("yyyy-MM-dd_HHmmss") + "." + i;
        return name;
    }
}
