// The tracker drops what a walk would not record, with the rules `timetravel track` gives it (TrackCommand.OptionsFor:
// the source's whole exclude rules applied to every level of the path, and the store). Regression: only the last
// path component was matched, so changes under an excluded directory were journaled.
using TimeTravel.Cli.Commands;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Store.Catalog;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

[NeedsRoot]
[NeedsFanotify]
public sealed class ExcludedPathTests : IDisposable
{
    private readonly TrackerHarness _h;
    private TrackerOptions? _options;

    public ExcludedPathTests()
    {
        _h = new TrackerHarness(exclude: p => _options!.Exclude!(p));
        _options = TrackCommand.OptionsFor([new SourceRecord(_h.Source, ["cache", "*.tmp"])], Path.Combine(_h.Source, "store"));
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void ChangesAtAnyDepthUnderAnExcludedDirectoryOrInTheStoreAreDropped()
    {
        Directory.CreateDirectory(_h.PathOf("a/cache/deep"));
        Directory.CreateDirectory(_h.PathOf("store/journal"));
        _h.Settle();
        File.WriteAllText(_h.PathOf("a/cache/deep/f"), "x");
        File.WriteAllText(_h.PathOf("a/x.tmp"), "x");
        File.WriteAllText(_h.PathOf("store/journal/segment"), "x");
        File.WriteAllText(_h.PathOf("a/kept"), "x");
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.New, _h.PathOf("a/kept")));
        Assert.DoesNotContain(_h.Sink.Changes, c => c.Path.AsSpan().IndexOf("cache/"u8) >= 0 || c.Path.AsSpan().IndexOf("store/"u8) >= 0);
        Assert.False(_h.Sink.Mentions(_h.PathOf("a/x.tmp")));
        Assert.Empty(_h.Sink.Incompletes);
    }
}
