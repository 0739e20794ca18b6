// The progress line: counters without a percentage when the total is unknown (a first snapshot), a bar when known.
using TimeTravel.Cli.Output;
using Xunit;

namespace TimeTravel.Tests.Cli.Output;

public class ProgressDisplayTests
{
    [Fact]
    public void UnknownTotalShowsBytesItemsAndRateButNoPercentage()
    {
        var line = ProgressDisplay.Format(new ProgressSample("snapshot", 10 << 20, 1234, "files"), TimeSpan.FromSeconds(2), 120);
        Assert.Equal("snapshot  10.0 MiB  1,234 files  5.0 MiB/s  0:02", line);
    }

    [Fact]
    public void KnownTotalShowsABarAndAPercentage()
    {
        var line = ProgressDisplay.Format(new ProgressSample("snapshot", 50, 3, "files", TotalBytes: 200, Note: "10 B read"), TimeSpan.FromSeconds(1), 100);
        Assert.Matches(@"^snapshot \[#+-+\]  25%  50 B of 200 B  3 files  50 B/s  10 B read  0:01$", line);
    }

    [Fact]
    public void KnownItemCountAloneGivesTheFraction()
    {
        var line = ProgressDisplay.Format(new ProgressSample("verify: blocks", 0, 50, "blocks", TotalItems: 100), TimeSpan.FromSeconds(1), 100);
        Assert.Contains(" 50%", line);
        Assert.Contains("50 of 100 blocks", line);
    }

    [Fact]
    public void PastTheTotalStaysAtOneHundredPercentAndTheLineFitsTheWidth()
    {
        var line = ProgressDisplay.Format(new ProgressSample("snapshot", 500, 3, "files", TotalBytes: 200), TimeSpan.FromSeconds(1), 60);
        Assert.Contains("100%", line);
        Assert.True(line.Length < 60, line);
    }
}
