// Which snapshot `yesterday` picks: Plan 9 dates, -n DAYS[:HOURS], --at, and the nearest ones named when none fits.
using TimeTravel.Store.History;
using TimeTravel.Yesterday;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

public class SnapshotChoiceTests
{
    private static readonly TimeSpan Utc = TimeSpan.Zero;

    private static SnapshotStamp Snap(long id, string time) => new(DateTimeOffset.Parse(time).ToString("yyyy-MM-dd_HHmm"), DateTimeOffset.Parse(time), id);

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
        Assert.Equal(3, SnapshotChoice.ParsePlan9Date("0812", Today).Pick(Snaps, Now).Id);

    [Fact]
    public void ADateWithNoSnapshotNamesTheNearestOnes()
    {
        var e = Assert.Throws<ChoiceException>(() => SnapshotChoice.ParsePlan9Date("0813", Today).Pick(Snaps, Now));
        Assert.Contains("2026-08-12_2100", e.Message);
        Assert.Contains("2026-08-14_0900", e.Message);
    }

    [Fact]
    public void DaysAgoPicksTheNewestAtLeastThatOld()
    {
        Assert.Equal(4, SnapshotChoice.ParseDaysAgo("1").Pick(Snaps, Now).Id);
        Assert.Equal(3, SnapshotChoice.ParseDaysAgo("2").Pick(Snaps, Now).Id);
        Assert.Equal(2, SnapshotChoice.ParseDaysAgo("2:16").Pick(Snaps, Now).Id);
    }

    [Fact]
    public void AtPicksTheNewestAtOrBefore() =>
        Assert.Equal(2, new SnapshotChoice.AtOrBefore(DateTimeOffset.Parse("2026-08-12T20:59:00+00:00")).Pick(Snaps, Now).Id);

    [Fact]
    public void NoFlagPicksTheNewest() => Assert.Equal(4, new SnapshotChoice.Newest().Pick(Snaps, Now).Id);

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
