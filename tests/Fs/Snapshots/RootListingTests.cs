// The names at the root of the mount as plain data, no mount: snapshot directories in time order, one link per
// day to that day's last snapshot, `latest`, and seconds in a name only when two snapshots share a minute; the
// listing in time order, and names that sort in time order across the hour repeated when daylight saving time ends.
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class RootListingTests
{
    // The store's zone for most tests: +02:00 all year; the DST test uses Europe/Berlin.
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("UTC+02", TimeSpan.FromHours(2), "UTC+02", "UTC+02");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Names snapshots the way SnapshotWriter does: in the order they are taken, each against the names before it.
    private static List<SnapshotRecord> Taken(params string[] localTimes) => Taken(Zone, localTimes);

    private static List<SnapshotRecord> Taken(TimeZoneInfo zone, params string[] localTimes)
    {
        var records = new List<SnapshotRecord>();
        foreach (var t in localTimes)
        {
            var time = DateTimeOffset.Parse(t.Length > 19 ? t : t + "+02:00"); // +02:00 unless the time has its offset
            records.Add(new SnapshotRecord
            {
                Id = records.Count + 1,
                Name = SnapshotNames.For(time, zone, records.Select(r => r.Name)),
                Time = time,
                Sources = ["/home"],
                Root = new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED },
                Stats = new SnapshotStats(),
            });
        }
        return records;
    }

    private static string[] Names(IEnumerable<RootEntry> entries) => entries.Select(e => e.Name).ToArray();

    [Fact]
    public void An_empty_store_has_an_empty_root()
    {
        Assert.Empty(RootListing.Build([], Zone));
    }

    [Fact]
    public void One_snapshot_gives_its_directory_its_day_link_and_latest()
    {
        var s = Taken("2024-03-05T14:07:33");
        var root = RootListing.Build(s, Zone);
        Assert.Equal(["2024-03-05", "2024-03-05_1407", "latest"], Names(root));
        Assert.Equal([RootEntryKind.DayLink, RootEntryKind.Snapshot, RootEntryKind.LatestLink], root.Select(e => e.Kind));
        Assert.All(root, e => Assert.Same(s[0], e.Snapshot));
        Assert.Equal("2024-03-05_1407", root[0].Target);
        Assert.Equal("2024-03-05_1407", root[2].Target);
    }

    [Fact]
    public void Snapshot_names_sort_in_time_order_even_with_seconds_added_on_clashes()
    {
        var s = Taken("2024-01-31T23:59:10", "2024-02-01T00:00:00", "2024-02-01T09:15:05", "2024-02-01T09:15:40",
                      "2024-02-01T09:15:59", "2024-02-01T09:16:00", "2024-02-01T10:00:00", "2024-12-31T08:00:00");
        var dirs = RootListing.Build(s.AsEnumerable().Reverse().ToList(), Zone).Where(e => e.Kind == RootEntryKind.Snapshot).ToList();
        Assert.Equal(s.Select(x => x.Name), dirs.Select(e => e.Name));
        Assert.Equal(s.Select(x => x.Name).Order(StringComparer.Ordinal), dirs.Select(e => e.Name));
        Assert.Equal(["2024-01-31_2359", "2024-02-01_0000", "2024-02-01_0915", "2024-02-01_091540", "2024-02-01_091559",
                      "2024-02-01_0916", "2024-02-01_1000", "2024-12-31_0800"], s.Select(x => x.Name));
    }

    [Fact]
    public void Seconds_appear_only_when_a_minute_is_taken_and_a_suffix_only_when_the_second_is_too()
    {
        var s = Taken("2024-06-01T12:00:05", "2024-06-01T12:00:05", "2024-06-01T12:00:05", "2024-06-01T12:01:00");
        Assert.Equal(["2024-06-01_1200", "2024-06-01_120005", "2024-06-01_120005.001", "2024-06-01_1201"], s.Select(x => x.Name));
        var root = RootListing.Build(s, Zone);
        Assert.Equal(s.Count + 2, root.Count);
        Assert.Equal(root.Count, root.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void Each_day_links_to_its_last_snapshot_and_latest_to_the_last_of_all()
    {
        var s = Taken("2024-02-01T08:00:00", "2024-02-01T20:30:00", "2024-02-02T07:00:00", "2024-02-04T06:00:00", "2024-02-04T06:00:30");
        var root = RootListing.Build(s, Zone);
        var links = root.Where(e => e.Kind != RootEntryKind.Snapshot).ToDictionary(e => e.Name, e => e.Target);
        Assert.Equal(new Dictionary<string, string>
        {
            ["2024-02-01"] = "2024-02-01_2030",
            ["2024-02-02"] = "2024-02-02_0700",
            ["2024-02-04"] = "2024-02-04_060030",
            ["latest"] = "2024-02-04_060030",
        }, links);
        Assert.Equal(["2024-02-01", "2024-02-01_0800", "2024-02-01_2030", "2024-02-02", "2024-02-02_0700",
                      "2024-02-04", "2024-02-04_0600", "2024-02-04_060030", "latest"], Names(root));
    }

    [Fact]
    public void Days_follow_the_snapshots_local_time_not_utc()
    {
        var s = Taken("2024-02-01T01:30:00"); // 2024-01-31T23:30Z
        Assert.Equal(["2024-02-01", "2024-02-01_0130", "latest"], Names(RootListing.Build(s, Zone)));
    }

    [Fact]
    public void Snapshots_with_the_same_time_order_by_id_so_latest_is_the_one_taken_last()
    {
        var s = Taken("2024-05-05T05:05:05", "2024-05-05T05:05:05");
        var root = RootListing.Build([s[1], s[0]], Zone);
        Assert.Equal(s[1].Name, root.Single(e => e.Kind == RootEntryKind.LatestLink).Target);
        Assert.Equal(s[1].Name, root.Single(e => e.Kind == RootEntryKind.DayLink).Target);
    }

    [Fact]
    public void The_listing_is_in_time_order_with_each_days_link_before_its_first_snapshot_and_latest_last()
    {
        var s = Taken("2024-02-01T08:00:00", "2024-02-01T20:30:00", "2024-02-02T07:00:00");
        var root = RootListing.Build([s[2], s[0], s[1]], Zone);
        Assert.Equal(["2024-02-01", "2024-02-01_0800", "2024-02-01_2030", "2024-02-02", "2024-02-02_0700", "latest"], Names(root));
        // Names that do not sort in time order (recorded by an older version) are still listed in time order.
        var odd = new[] { s[0] with { Name = "b-first" }, s[1] with { Name = "a-second" } };
        Assert.Equal(["2024-02-01", "b-first", "a-second", "latest"], Names(RootListing.Build(odd, Zone)));
    }

    // Regression: across the end of daylight saving time, 02:10 (+01:00, later) was named before 02:30 (+02:00).
    [Fact]
    public void Names_sort_in_time_order_across_the_hour_repeated_when_daylight_saving_time_ends()
    {
        var s = Taken(Berlin, "2024-10-27T01:50:00+02:00", "2024-10-27T02:30:00+02:00", "2024-10-27T02:10:00+01:00",
                      "2024-10-27T02:10:00+01:00", "2024-10-27T02:40:00+01:00", "2024-10-27T03:00:00+01:00");
        Assert.Equal(["2024-10-27_0150", "2024-10-27_0230", "2024-10-27_02h10+0100", "2024-10-27_02h1000+0100",
                      "2024-10-27_02h40+0100", "2024-10-27_0300"], s.Select(x => x.Name));
        Assert.Equal(s.Select(x => x.Name), s.Select(x => x.Name).Order(StringComparer.Ordinal));
        Assert.Equal(s.Select(x => x.Name), RootListing.Build(s, Berlin).Where(e => e.Kind == RootEntryKind.Snapshot).Select(e => e.Name));
    }

    [Fact]
    public void A_snapshot_recorded_with_an_earlier_time_than_others_keeps_its_plain_name()
    {
        var s = Taken("2024-03-01T10:00:00", "2024-03-03T10:00:00", "2024-03-02T10:00:00");
        Assert.Equal(["2024-03-01_1000", "2024-03-03_1000", "2024-03-02_1000"], s.Select(x => x.Name));
    }
}
