// The names at the root of the mount, computed as plain data: one directory per snapshot (its name, local time
// YYYY-MM-DD_HHMM in the store's zone; see SnapshotNames), one YYYY-MM-DD link per day to that day's last snapshot,
// and `latest`. Listed in time order (each day's link just before that day's first snapshot, `latest` last), which
// is also the names' sort order.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Naming;

namespace TimeTravel.Fs.Snapshots;

public enum RootEntryKind { Snapshot, DayLink, LatestLink, Host }

/// <summary>A name above the snapshots' trees; a Host entry is a host's directory (MountListing), its Snapshot that host's newest.</summary>
public sealed record RootEntry(string Name, RootEntryKind Kind, SnapshotRecord Snapshot)
{
    /// <summary>For links: the snapshot directory they point at (relative, so it works wherever the mount is).</summary>
    public string Target => Snapshot.Name;
}

public static class RootListing
{
    public const string Latest = "latest";

    public static IReadOnlyList<RootEntry> Build(IReadOnlyList<SnapshotRecord> snapshots, TimeZoneInfo zone)
    {
        string DayOf(SnapshotRecord s) => SnapshotNames.DayName(SnapshotNames.DayOf(s.Name, s.Time, zone));
        // In the order every reader sees (SnapshotStamp.Ordered: by what the names say), so that a user who reads the
        // names alone finds each day link where this puts it.
        var ordered = snapshots.OrderBy(s => SnapshotStamp.Of(s, zone), SnapshotStamp.TimeOrder).ThenBy(s => s.Id).ToList();
        var names = ordered.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var lastOfDay = new Dictionary<string, SnapshotRecord>(StringComparer.Ordinal);
        foreach (var s in ordered) lastOfDay[DayOf(s)] = s;
        var entries = new List<RootEntry>(ordered.Count + lastOfDay.Count + 1);
        foreach (var s in ordered)
        {
            string day = DayOf(s);
            if (names.Add(day)) entries.Add(new RootEntry(day, RootEntryKind.DayLink, lastOfDay[day]));
            entries.Add(new RootEntry(s.Name, RootEntryKind.Snapshot, s));
        }
        if (ordered.Count > 0 && names.Add(Latest)) entries.Add(new RootEntry(Latest, RootEntryKind.LatestLink, ordered[^1]));
        return entries;
    }
}
