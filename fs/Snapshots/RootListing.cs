// The names at the root of the mount, computed as plain data: one directory per snapshot (its name, local time
// YYYY-MM-DD_HHMM), one YYYY-MM-DD link per day to that day's last snapshot, and `latest`. Sorted, so names sort in time order.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Fs.Snapshots;

public enum RootEntryKind { Snapshot, DayLink, LatestLink }

public sealed record RootEntry(string Name, RootEntryKind Kind, SnapshotRecord Snapshot)
{
    /// <summary>For links: the snapshot directory they point at (relative, so it works wherever the mount is).</summary>
    public string Target => Snapshot.Name;
}

public static class RootListing
{
    public const string Latest = "latest";

    public static IReadOnlyList<RootEntry> Build(IReadOnlyList<SnapshotRecord> snapshots)
    {
        var entries = new List<RootEntry>();
        var ordered = snapshots.OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();
        foreach (var s in ordered) entries.Add(new RootEntry(s.Name, RootEntryKind.Snapshot, s));
        foreach (var day in ordered.GroupBy(s => s.Time.ToString("yyyy-MM-dd")))
            if (!entries.Any(e => e.Name == day.Key)) entries.Add(new RootEntry(day.Key, RootEntryKind.DayLink, day.Last()));
        if (ordered.Count > 0) entries.Add(new RootEntry(Latest, RootEntryKind.LatestLink, ordered[^1]));
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }
}
