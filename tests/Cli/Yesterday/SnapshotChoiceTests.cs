// Which snapshot `yesterday` picks: Plan 9 dates, -n DAYS[:HOURS], --at, and the nearest ones named when none fits.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using TimeTravel.Yesterday;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

public class SnapshotChoiceTests
{
    private static readonly TimeSpan Utc = TimeSpan.Zero;

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.Utc;

    private static SnapshotStamp Snap(long id, string time) => SnapshotStamp.FromName(DateTimeOffset.Parse(time).ToString("yyyy-MM-dd_HHmm"), Zone)! with { Id = id };

    private static readonly SnapshotStamp[] Snaps =
    [
        Snap(1, "2026-08-11T09:00:00+00:00"), Snap(2, "2026-08-12T09:00:00+00:00"), Snap(3, "2026-08-12T21:00:00+00:00"), Snap(4, "2026-08-14T09:00:00+00:00"),
    ];
    private static readonly DateTimeOffset Now = new(2026, 8, 15, 12, 0, 0, Utc);
    private static readonly DateOnly Today = new(2026, 8, 15);

    [Theory]
    [InlineData("12", "2026-08-12")]
    [InlineData("0812", "2026-08-12")]
    [InlineData("260812", "2026-08-12")]
    [InlineData("20260812", "2026-08-12")]
    [InlineData("5", "2026-08-05")]
    public void Plan9DateFormsAllNameTheSameDay(string digits, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), SnapshotChoice.ParsePlan9Date(digits, Today).Date);

    [Fact]
    public void ADateMeansThatDaysLastSnapshot() =>
        Assert.Equal(3, SnapshotChoice.ParsePlan9Date("0812", Today).Pick(Snaps, Now, Zone).Id);

    [Fact]
    public void ADateWithNoSnapshotNamesTheNearestOnes()
    {
        var e = Assert.Throws<ChoiceException>(() => SnapshotChoice.ParsePlan9Date("0813", Today).Pick(Snaps, Now, Zone));
        Assert.Contains("2026-08-12_2100", e.Message);
        Assert.Contains("2026-08-14_0900", e.Message);
    }

    [Fact]
    public void DaysAgoPicksTheNewestAtLeastThatOld()
    {
        Assert.Equal(4, SnapshotChoice.ParseDaysAgo("1").Pick(Snaps, Now, Zone).Id);
        Assert.Equal(3, SnapshotChoice.ParseDaysAgo("2").Pick(Snaps, Now, Zone).Id);
        Assert.Equal(2, SnapshotChoice.ParseDaysAgo("2:16").Pick(Snaps, Now, Zone).Id);
    }

    [Fact]
    public void AtPicksTheNewestAtOrBefore() =>
        Assert.Equal(2, new SnapshotChoice.AtOrBefore(DateTimeOffset.Parse("2026-08-12T20:59:00+00:00")).Pick(Snaps, Now, Zone).Id);

    // Regression: --at '2026-12-02 18:57' missed the snapshot taken at 18:57:19 and named _1857.
    [Fact]
    public void AtGivenToTheMinuteMeansThatWholeMinute()
    {
        var record = new SnapshotRecord
        {
            Id = 7, Name = "2026-12-02_1857", Time = new DateTimeOffset(2026, 12, 2, 18, 57, 19, TimeSpan.Zero), Sources = ["/"],
            Root = new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory }, Stats = new SnapshotStats(),
        };
        SnapshotStamp[] snaps = [Snap(6, "2026-12-02T18:00:00+00:00"), SnapshotStamp.Of(record, Zone)];
        var now = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(7, SnapshotChoice.ParseAt("2026-12-02 18:57").Pick(snaps, now, Zone).Id);
        Assert.Equal(7, SnapshotChoice.ParseAt("2026-12-02T18:57+00:00").Pick(snaps, now, Zone).Id);
        Assert.Equal(6, SnapshotChoice.ParseAt("2026-12-02 18:56").Pick(snaps, now, Zone).Id);
    }

    [Theory]
    [InlineData("2026-08-12", 3)]                    // a day: the whole day
    [InlineData("2026-08-12 21", 3)]                 // an hour: the whole hour
    [InlineData("2026-08-12 20", 2)]
    [InlineData("2026-08-12 21:00", 3)]              // a minute: the whole minute
    [InlineData("2026-08-12 20:59:59", 2)]           // a second: the whole second
    [InlineData("2026-08-12 21:00:00", 3)]
    [InlineData("2026-08-12T20:59:59.999", 2)]       // with a fraction: that instant
    [InlineData("2026-08-12T23:00+02:00", 3)]        // an offset says its own zone
    [InlineData("2026-08-12T22:59+02:00", 2)]
    [InlineData("2026-08-12 21:00Z", 3)]
    public void AtMeansTheWholePeriodItIsGivenTo(string at, long expected) =>
        Assert.Equal(expected, SnapshotChoice.ParseAt(at).Pick(Snaps, Now, Zone).Id);

    [Fact]
    public void AtBeforeTheFirstSnapshotNamesTheFirst()
    {
        var e = Assert.Throws<ChoiceException>(() => SnapshotChoice.ParseAt("2026-08-10").Pick(Snaps, Now, Zone));
        Assert.Contains("nearest: 2026-08-11_0900", e.Message);
    }

    // An --at without an offset is a time in the store's zone, as the names are, not in the reader's TZ.
    [Fact]
    public void AtWithoutAnOffsetIsReadInTheStoresZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        SnapshotStamp[] snaps = [SnapshotStamp.FromName("2026-12-02_1800", berlin)! with { Id = 1 }, SnapshotStamp.FromName("2026-12-02_1900", berlin)! with { Id = 2 }];
        var now = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, SnapshotChoice.ParseAt("2026-12-02 18:30").Pick(snaps, now, berlin).Id);
        Assert.Equal(2, SnapshotChoice.ParseAt("2026-12-02 19:00").Pick(snaps, now, berlin).Id);
        Assert.Equal(2, SnapshotChoice.ParseAt("2026-12-02 18:30Z").Pick(snaps, now, berlin).Id); // 19:30 in Berlin
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01 10:00")]
    [InlineData("2026-12-01 25:00")]
    [InlineData("2026-12-01 10:00+15:00")]
    public void AnUnreadableAtIsRefused(string at) => Assert.Throws<ChoiceException>(() => SnapshotChoice.ParseAt(at));

    [Fact]
    public void NoFlagPicksTheNewest() => Assert.Equal(4, new SnapshotChoice.Newest().Pick(Snaps, Now, Zone).Id);

    [Theory]
    [InlineData("123")]
    [InlineData("1332")]
    [InlineData("20261301")]
    public void MalformedDatesAreRefused(string digits) =>
        Assert.Throws<ChoiceException>(() => SnapshotChoice.ParsePlan9Date(digits, Today));

    [Theory]
    [InlineData("2026-12-01", "26", "2026-11-26")]   // a day still to come this month means last month's
    [InlineData("2026-12-01", "1", "2026-12-01")]
    [InlineData("2026-03-15", "31", "2026-01-31")]   // February has no 31st: the most recent month that does
    [InlineData("2026-01-05", "1231", "2025-12-31")] // a date still to come this year means last year's
    [InlineData("2026-03-01", "0229", "2024-02-29")]
    [InlineData("2026-12-01", "1130", "2026-11-30")]
    public void AShortDateInTheFutureMeansTheMostRecentSuchDate(string today, string digits, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), SnapshotChoice.ParsePlan9Date(digits, DateOnly.Parse(today)).Date);

    [Theory]
    [InlineData("0")]
    [InlineData("32")]
    [InlineData("1301")]
    public void ImpossibleShortDatesAreRefused(string digits) =>
        Assert.Throws<ChoiceException>(() => SnapshotChoice.ParsePlan9Date(digits, Today));
}
