// The text form of a policy (the flags, as saved in the catalog and printed by `policy show`) and the grammar of
// its values: counts with -1/unlimited, --keep-within durations in restic's NUMBER UNIT grammar, and clear errors.
using TimeTravel.Store.Retention;
using Xunit;

namespace TimeTravel.Tests.Store.Retention;

public class RetentionPolicyTextTests
{
    [Theory]
    [InlineData("2d12h", 0, 0, 2, 12)]
    [InlineData("1y6m", 1, 6, 0, 0)]
    [InlineData(" 3h ", 0, 0, 0, 3)]
    [InlineData("12h1y", 1, 0, 0, 12)]
    [InlineData("0d", 0, 0, 0, 0)]
    public void KeepWithinReadsNumberUnitPairs(string text, int y, int m, int d, int h) =>
        Assert.Equal(new KeepWithin(y, m, d, h), KeepWithin.Parse(text));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("2x", "invalid unit 'x' after the number 2")]
    [InlineData("2D", "invalid unit 'D' after the number 2")]
    [InlineData("12", "no unit after the number 12")]
    [InlineData("d", "no number at 'd'")]
    [InlineData("2d 12h", "no number at ' 12h'")]
    [InlineData("-1d", "negative values are not allowed")]
    [InlineData("2d-3h", "negative values are not allowed")]
    [InlineData("2d3d", "the unit 'd' is given twice")]
    [InlineData("99999999999h", "99999999999 is too large")]
    public void KeepWithinRefusesWhatIsNotADurationNamingTheProblem(string text, string problem)
    {
        var e = Assert.Throws<RetentionPolicyException>(() => KeepWithin.Parse(text));
        Assert.Contains($"--keep-within '{text}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("1y6m")]
    [InlineData("2d12h")]
    [InlineData("1y2m3d4h")]
    public void KeepWithinWritesItselfAsItWasRead(string text) => Assert.Equal(text, KeepWithin.Parse(text).ToString());

    [Fact]
    public void APolicyReadsAndWritesItsFlagsInOneOrder()
    {
        var p = RetentionPolicy.Parse("--keep-within=2d12h --keep-daily 14 --keep-hourly 24 --keep-yearly unlimited --keep-weekly -1 --keep-last 0");
        Assert.Equal(new RetentionPolicy { Hourly = 24, Daily = 14, Weekly = -1, Yearly = -1, Within = new KeepWithin(0, 0, 2, 12) }, p);
        string text = "--keep-hourly 24 --keep-daily 14 --keep-weekly unlimited --keep-yearly unlimited --keep-within 2d12h";
        Assert.Equal(text, p.ToString());
        Assert.Equal(p, RetentionPolicy.Parse(text));
        Assert.Equal("keep 24 hourly, 14 daily, all weekly, all yearly snapshots and every snapshot within 2d12h of the newest; pinned snapshots always stay", p.Describe());
        Assert.Equal("keep 3 latest snapshots; pinned snapshots always stay", RetentionPolicy.Parse("--keep-last 3").Describe());
    }

    [Fact]
    public void AnEmptyTextIsThePolicyWithNoRule()
    {
        Assert.True(RetentionPolicy.Parse("").IsEmpty);
        Assert.Equal("", RetentionPolicy.None.ToString());
    }

    [Theory]
    [InlineData("--keep-last -2", "--keep-last -2: negative values other than -1 (unlimited) are not allowed")]
    [InlineData("--keep-daily seven", "--keep-daily 'seven': not a count")]
    [InlineData("--keep-daily 1.5", "--keep-daily '1.5': not a count")]
    [InlineData("--keep-daily", "'--keep-daily' has no value")]
    [InlineData("--keep-minutely 5", "'--keep-minutely' is not a retention rule")]
    [InlineData("--keep-daily 7 --keep-daily 8", "--keep-daily is given twice")]
    [InlineData("--keep-within 2w", "--keep-within '2w': invalid unit 'w'")]
    public void ABadPolicyIsRefusedNamingTheFlag(string text, string message)
    {
        var e = Assert.Throws<RetentionPolicyException>(() => RetentionPolicy.Parse(text));
        Assert.Contains(message, e.Message);
    }
}
