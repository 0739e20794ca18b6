// Reasons for walking are summarised, not repeated per path. Regression: one snapshot's walk reason was 2.3 KB long.
using TimeTravel.Kernel.Planning;
using Xunit;

namespace TimeTravel.Tests.Kernel.Planning;

public sealed class ReasonSummaryTests
{
    [Fact]
    public void ReasonsThatDifferOnlyInAPathAreToldOnceWithTheFirstPathsAndHowManyMore()
    {
        var reasons = Enumerable.Range(0, 1237).Select(i =>
            $"/srv: a file with 2 hard links changed outside the sources or in an excluded path (/other/f{i}); its other names may lie in a source (at 2026-01-0{i % 9 + 1} 10:00:00Z)");
        var summary = ReasonSummary.Summarise(reasons);
        Assert.Equal("/srv: a file with 2 hard links changed outside the sources or in an excluded path " +
            "(/other/f0, /other/f1, /other/f2 and 1,234 more); its other names may lie in a source", summary);
    }

    [Fact]
    public void TheSameReasonRepeatedIsToldOnceWithItsCount()
    {
        var summary = ReasonSummary.Summarise([
            "the fanotify queue overflowed; events were lost (at 2026-01-01 10:00:00Z)",
            "the fanotify queue overflowed; events were lost (at 2026-01-01 10:05:00Z)",
            "segment 4 is missing (pruned?)",
        ]);
        Assert.Equal("the fanotify queue overflowed; events were lost (2 times); segment 4 is missing (pruned?)", summary);
    }

    [Fact]
    public void AReasonToldOnceKeepsItsTime()
    {
        const string one = "/srv: source root or an ancestor was moved, removed or replaced (/srv) (at 2026-01-01 10:00:00Z)";
        Assert.Equal(one, ReasonSummary.Summarise([one]));
    }
}
