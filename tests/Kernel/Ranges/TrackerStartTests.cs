// Where BPF cannot be used, Start says why in one line instead of running half-attached.
using TimeTravel.Kernel.Ranges;
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

[NeedsBpf, NeedsRoot]
[Collection(RangeTrackerCollection.Name)]
public sealed class TrackerStartTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _pins = "/sys/fs/bpf/tt-test-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        RangeMaps.DeletePins(_pins);
        _temp.Dispose();
    }

    [Fact]
    public void ACorruptObjectNamedByTheVariableIsRefusedWithItsPath()
    {
        var corrupt = Path.Combine(_temp.Path, "range-tracker.bpf.o");
        File.WriteAllBytes(corrupt, "\u007fELF not really an object"u8.ToArray());
        var saved = Environment.GetEnvironmentVariable(BpfRangeTracker.ObjectVariable);
        Environment.SetEnvironmentVariable(BpfRangeTracker.ObjectVariable, corrupt);
        try
        {
            Assert.Equal(corrupt, BpfRangeTracker.ObjectPath());
            var e = Assert.Throws<BpfUnavailableException>(() => BpfRangeTracker.Start(BpfRangeTracker.ObjectPath()!, _pins));
            Assert.Contains(corrupt, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(BpfRangeTracker.ObjectVariable, saved);
        }
    }

    [Fact]
    public void AMissingObjectIsRefusedWithItsPath()
    {
        var missing = Path.Combine(_temp.Path, "nothing.bpf.o");
        var e = Assert.Throws<BpfUnavailableException>(() => BpfRangeTracker.Start(missing, _pins));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void APinDirectoryOffTheBpfFilesystemIsRefused()
    {
        var e = Assert.Throws<BpfUnavailableException>(() => BpfRangeTracker.Start(TrackedScratch.ObjectPath(), _temp.Path));
        Assert.Contains("not on a bpf filesystem", e.Message);
    }

    [Fact]
    public void OpeningMapsThatWereNeverPinnedSaysSo()
    {
        Assert.Null(RangeMaps.TryOpen(_pins, out var why));
        Assert.Contains("no range tracker maps", why);
    }
}
