// A source fanotify cannot watch is never silently ignored: the tracker names it as incomplete.
using TimeTravel.Kernel.Tracking;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

[NeedsRoot]
[NeedsFanotify]
public sealed class UnwatchableSourceTests
{
    [Fact]
    public void ASourceOnAFilesystemWithoutFileHandlesIsReportedUnwatched()
    {
        using var tracker = FanotifyTracker.Start(new TrackerOptions { Sources = ["/proc/sys"] });
        var notice = Assert.Single(tracker.Unwatched);
        Assert.Equal("/proc/sys", notice.Source);
    }

    [Fact]
    public void AMissingSourceIsReportedUnwatched()
    {
        using var tracker = FanotifyTracker.Start(new TrackerOptions { Sources = ["/nonexistent/tt-source"] });
        Assert.Contains("cannot open", Assert.Single(tracker.Unwatched).Reason);
    }
}
