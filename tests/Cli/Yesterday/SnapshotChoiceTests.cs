// Which snapshot `yesterday` picks: Plan 9 dates, -n DAYS[:HOURS], --at, and the nearest ones named when none fits.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Trees;
using TimeTravel.Yesterday;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

public class SnapshotChoiceTests
{
    private static readonly TimeSpan Utc = TimeSpan.Zero;

    private static SnapshotRecord Snap(long id, string time) => new()
    {
        Id = id, Name = DateTimeOffset.Parse(time).ToString("yyyy-MM-dd_HHmm"), Time = DateTimeOffset.Parse(time),
        Sources = ["/etc"], Root = new Node { Name = "/"u8.ToArray() }, Stats = new SnapshotStats(),
    };

    private static readonly SnapshotRecord[] Snaps =
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

    [Fact]
    public void PathsInsideTheMountMeanThePathBelowTheSnapshot()
    {
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("/backup/.snapshot/2026-08-12/etc/fstab", "/", "/backup/.snapshot"));
        Assert.Equal("/etc/fstab", SnapshotPaths.SourcePath("fstab", "/etc", "/backup/.snapshot"));
        Assert.Equal("/etc", SnapshotPaths.SourcePath("../etc/", "/var", "/backup/.snapshot"));
    }

    [Fact]
    public void TheMountDirectoryIsTheDayWhenTheSnapshotIsThatDaysLast()
    {
        Assert.Equal("2026-08-12", SnapshotPaths.DirectoryName(Snaps[2], Snaps));
        Assert.Equal("2026-08-12_0900", SnapshotPaths.DirectoryName(Snaps[1], Snaps));
    }
}
