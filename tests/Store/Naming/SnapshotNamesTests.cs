// Snapshot names written and read back by the one module that owns them: in the store's zone, across both changes of
// daylight saving time, in bursts of many snapshots within one second, and names written by older versions.
using TimeTravel.Store.Naming;
using Xunit;

namespace TimeTravel.Tests.Store.Naming;

public class SnapshotNamesTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    // Names snapshots as the writer does: each against the names before it.
    private static List<string> Taken(TimeZoneInfo zone, IEnumerable<DateTimeOffset> times)
    {
        var names = new List<string>();
        foreach (var t in times) names.Add(SnapshotNames.For(t, zone, names));
        return names;
    }

    private static DateTimeOffset Utc0(string utc) => DateTimeOffset.Parse(utc + "Z");

    [Fact]
    public void EveryNameReadsBackAsTheInstantItWasWrittenFor()
    {
        var times = Enumerable.Range(0, 24 * 4).Select(i => Utc0("2024-10-26T22:00:00").AddMinutes(15 * i)) // the day DST ends
            .Concat(Enumerable.Range(0, 24 * 4).Select(i => Utc0("2024-03-30T22:00:00").AddMinutes(15 * i))) // the day it starts
            .ToList();
        var names = Taken(Berlin, times);
        for (int i = 0; i < times.Count; i++)
            Assert.Equal(times[i], SnapshotNames.Parse(names[i], Berlin)!.Value.Time);
    }

    [Fact]
    public void NamesSortInTimeOrderAcrossBothChangesOfDaylightSavingTime()
    {
        var times = Enumerable.Range(0, 6 * 12).Select(i => Utc0("2024-03-31T00:00:00").AddMinutes(5 * i)) // DST starts at 01:00Z
            .Concat(Enumerable.Range(0, 6 * 12).Select(i => Utc0("2024-10-26T23:00:00").AddMinutes(5 * i))).ToList(); // and ends at 01:00Z
        var names = Taken(Berlin, times);
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        // The hour repeated when DST ends: its first pass plain, its second with "h" and the offset; the skipped hour never appears.
        Assert.Contains("2024-10-27_0210", names);
        Assert.Contains("2024-10-27_02h10+0100", names);
        Assert.Contains("2024-03-31_0155", names);
        Assert.Contains("2024-03-31_0300", names);
        Assert.DoesNotContain(names, n => n.StartsWith("2024-03-31_02", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains('h') && !n.StartsWith("2024-10-27_02h", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSecondPassOfTheRepeatedHourIsNamedWithItsOffsetEvenWithNoSnapshotInTheFirst()
    {
        var t = DateTimeOffset.Parse("2024-10-27T02:30:00+01:00");
        Assert.Equal("2024-10-27_02h30+0100", SnapshotNames.For(t, Berlin, []));
        Assert.Equal("2024-10-27_0230", SnapshotNames.For(DateTimeOffset.Parse("2024-10-27T02:30:00+02:00"), Berlin, []));
        Assert.Equal(t, SnapshotNames.Parse("2024-10-27_02h30+0100", Berlin)!.Value.Time);
        Assert.Equal(DateTimeOffset.Parse("2024-10-27T02:30:00+02:00"), SnapshotNames.Parse("2024-10-27_0230", Berlin)!.Value.Time);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(120)]
    [InlineData(1100)]
    public void ABurstWithinOneSecondSortsInOrderAndNeverLooksLikeADaylightSavingName(int count)
    {
        var t = Utc0("2026-06-01T12:00:05");
        var names = Taken(Utc, Enumerable.Repeat(t, count));
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.Equal(count, names.Distinct().Count());
        Assert.DoesNotContain(names, n => n.Contains('h') || n.Contains('+'));
        Assert.Equal(["2026-06-01_1200", "2026-06-01_120005", "2026-06-01_120005.001"], names.Take(3));
        Assert.Equal("2026-06-01_120005.009", names[10]);
        var read = names.Select(n => SnapshotNames.Parse(n, Utc)!.Value).ToList();
        Assert.All(read.Skip(1), r => Assert.Equal(t, r.Time));
        Assert.Equal(read.Select(r => r.Counter), read.Select(r => r.Counter).Order());
    }

    [Fact]
    public void ABurstInTheRepeatedHourKeepsItsOffsetLast()
    {
        var t = DateTimeOffset.Parse("2024-10-27T02:10:07+01:00");
        var names = Taken(Berlin, Enumerable.Repeat(t, 12));
        Assert.Equal(["2024-10-27_02h10+0100", "2024-10-27_02h1007+0100", "2024-10-27_02h1007.001+0100"], names.Take(3));
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.All(names.Skip(1), n => Assert.Equal(t, SnapshotNames.Parse(n, Berlin)!.Value.Time));
    }

    [Fact]
    public void ANameIsWrittenInTheStoresZoneWhateverTheWritersOffset()
    {
        var t = DateTimeOffset.Parse("2026-12-02T17:57:19Z");
        Assert.Equal("2026-12-02_1857", SnapshotNames.For(t, Berlin, []));
        Assert.Equal("2026-12-02_1857", SnapshotNames.For(t.ToOffset(TimeSpan.FromHours(-5)), Berlin, []));
    }

    [Theory]
    [InlineData("2026-08-12_0930", "2026-08-12T09:30:00+02:00", 0)]
    [InlineData("2026-08-12_093015", "2026-08-12T09:30:15+02:00", 0)]
    [InlineData("2026-08-12_093015.2", "2026-08-12T09:30:15+02:00", 2)]     // an older version's counter
    [InlineData("2026-08-12_093015.10", "2026-08-12T09:30:15+02:00", 10)]
    [InlineData("2026-08-12_093015.002", "2026-08-12T09:30:15+02:00", 2)]
    [InlineData("2024-10-27_02h10+0100", "2024-10-27T02:10:00+01:00", 0)]
    [InlineData("2024-10-27_02h1000.1+0100", "2024-10-27T02:10:00+01:00", 1)]
    [InlineData("2024-10-27_0210", "2024-10-27T02:10:00+02:00", 0)]           // the first pass
    [InlineData("2026-01-05_1200", "2026-01-05T12:00:00+01:00", 0)]
    [InlineData("2026-01-05_1200-0500", "2026-01-05T12:00:00-05:00", 0)]      // an offset says its own zone
    public void NamesReadBackAsInstantsInTheStoresZone(string name, string instant, long counter)
    {
        var n = SnapshotNames.Parse(name, Berlin)!.Value;
        Assert.Equal(DateTimeOffset.Parse(instant), n.Time);
        Assert.Equal(DateTimeOffset.Parse(instant).Offset, n.Time.Offset);
        Assert.Equal(counter, n.Counter);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("2026-08-12")]
    [InlineData("2026-13-12_0930")]
    [InlineData("2026-08-12_2460")]
    [InlineData("2026-08-12_0930.1")]
    [InlineData("2026-08-12_09h30")]         // a second pass without its offset
    [InlineData("2026-08-12_0930+1500")]
    [InlineData(".history")]
    [InlineData(".zone")]
    public void DayLinksLatestAndOtherNamesAreNotSnapshots(string name) => Assert.Null(SnapshotNames.Parse(name, Berlin));

    [Fact]
    public void TheDayOfANameIsTheDayItSays()
    {
        Assert.Equal(new DateOnly(2024, 2, 1), SnapshotNames.DayOf("2024-02-01_0130", DateTimeOffset.Parse("2024-01-31T23:30:00Z"), Utc));
        Assert.Equal(new DateOnly(2024, 2, 1), SnapshotNames.DayOf("odd", DateTimeOffset.Parse("2024-01-31T23:30:00Z"), Berlin));
        Assert.Equal("2024-02-01", SnapshotNames.DayName(new DateOnly(2024, 2, 1)));
    }
}
