// A started FanotifyTracker over a scratch source, with a way to wait until everything done so far was delivered.
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Tests.Kernel.Support;

public sealed class TrackerHarness : IDisposable
{
    private int _markers;

    public ScratchFilesystem Scratch { get; } = new();
    public string Source { get; }
    public FanotifyTracker Tracker { get; }
    public RecordingSink Sink { get; } = new();

    public TrackerHarness(Func<byte[], bool>? exclude = null, string? ignoreUnder = null)
    {
        Source = Path.Combine(Scratch.Root, "src");
        Directory.CreateDirectory(Source);
        Tracker = FanotifyTracker.Start(new TrackerOptions
        {
            Sources = [Source],
            Exclude = exclude,
            IgnoreRoot = ignoreUnder is null ? null : Path.Combine(Source, ignoreUnder),
        });
    }

    public string PathOf(string relative) => Path.Combine(Source, relative);

    /// <summary>Creates a marker file and pumps until its creation arrives: events are queued in order.</summary>
    public void Settle()
    {
        var marker = PathOf($".marker-{++_markers}");
        File.WriteAllBytes(marker, []);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Sink.Has(ChangeKind.New, marker))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the marker's creation never arrived");
            Tracker.Pump(Sink, waitMs: 100);
        }
    }

    public void Dispose()
    {
        Tracker.Dispose();
        Scratch.Dispose();
    }
}
