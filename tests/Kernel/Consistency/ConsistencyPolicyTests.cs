// `--consistent` and `--freeze-limit` as typed, and the freeze budget: a read estimated above half the limit is not
// frozen.
using TimeTravel.Kernel.Consistency;
using TimeTravel.Store;
using Xunit;

namespace TimeTravel.Tests.Kernel.Consistency;

public sealed class ConsistencyPolicyTests
{
    [Theory]
    [InlineData("auto", "2s", ConsistencyMode.Auto, 2000)]
    [InlineData("off", "500ms", ConsistencyMode.Off, 500)]
    [InlineData(" auto ", "0.25s", ConsistencyMode.Auto, 250)]
    [InlineData("auto", "60s", ConsistencyMode.Auto, 60000)]
    public void ParsesModeAndLimit(string mode, string limit, ConsistencyMode expected, int ms)
    {
        var p = ConsistencyPolicy.Parse(mode, limit);
        Assert.Equal(expected, p.Mode);
        Assert.Equal(TimeSpan.FromMilliseconds(ms), p.FreezeLimit);
    }

    [Theory]
    [InlineData("on", "2s", "--consistent on")]
    [InlineData("auto", "2", "--freeze-limit 2")]
    [InlineData("auto", "0s", "--freeze-limit 0s")]
    [InlineData("auto", "-1s", "--freeze-limit -1s")]
    [InlineData("auto", "2m", "--freeze-limit 2m")]
    [InlineData("auto", "61s", "--freeze-limit 61s")]
    public void RefusesWhatItDoesNotUnderstandNamingTheOption(string mode, string limit, string named) =>
        Assert.StartsWith(named + ":", Assert.Throws<StoreException>(() => ConsistencyPolicy.Parse(mode, limit)).Message);

    [Fact]
    public void TheDefaultIsAutoWithTwoSeconds() =>
        Assert.Equal(new ConsistencyPolicy(ConsistencyMode.Auto, TimeSpan.FromSeconds(2)), ConsistencyPolicy.Default);

    [Fact]
    public void AReadFitsWhenEstimatedWithinHalfTheLimit()
    {
        var limit = TimeSpan.FromSeconds(2);
        Assert.True(FreezeBudget.Fits(2, 40, limit));
        Assert.True(FreezeBudget.Fits(0, 100L << 20, limit));          // 1 s at 100 MiB/s: exactly half
        Assert.False(FreezeBudget.Fits(0, 101L << 20, limit));
        Assert.True(FreezeBudget.Fits(2000, 0, limit));                 // 2000 files at 0.5 ms: 1 s
        Assert.False(FreezeBudget.Fits(2010, 0, limit));
        Assert.False(FreezeBudget.Fits(1000, 50L << 20, TimeSpan.FromSeconds(1.9)));
    }
}
