// FAN_Q_OVERFLOW: the kernel dropped events, so nothing about any source can be vouched for. A made-up overflow event
// (as read(2) returns it: metadata only, no info records) goes through the tracker's parse and translate path.
using System.Buffers.Binary;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

[NeedsRoot]
[NeedsFanotify]
public sealed class QueueOverflowTests : IDisposable
{
    private readonly TrackerHarness _h = new();
    private readonly TempDir _journalDir = new();

    public void Dispose()
    {
        _h.Dispose();
        _journalDir.Dispose();
    }

    private static byte[] OverflowEvent()
    {
        var e = new byte[FanotifyEventMetadata.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)e.Length);                          // event_len
        e[4] = FanotifyConstants.FANOTIFY_METADATA_VERSION;                                   // vers
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(6), FanotifyEventMetadata.Size);    // metadata_len
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(8), FanotifyConstants.FAN_Q_OVERFLOW);
        BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(16), -1);                            // fd: FAN_NOFD
        return e;
    }

    [Fact]
    public void AnOverflowMakesEverySourceIncompleteAndTheIntervalIsWalked()
    {
        using var tracker = new SimulatedTracker(_journalDir.Path);
        using var snap = ChangeJournal.Open(_journalDir.Path);
        long first = snap.Cut(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _h.Tracker.Feed(OverflowEvent(), new HandleResolver(), tracker.Journal));
        long second = snap.Cut(TimeSpan.FromSeconds(10));

        var set = new JournalReader(_journalDir.Path).ReadBetween(first, second);
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
        Assert.Contains("overflowed", set.WhyIncomplete);
    }
}
