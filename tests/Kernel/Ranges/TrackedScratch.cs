// A loop-mounted ext4 scratch filesystem with the range tracker running on a pin directory of its own; Dispose stops
// the tracker and deletes the pins and the filesystem, even after a failed test.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Kernel.Ranges;
using TimeTravel.Tests.Kernel.Support;

namespace TimeTravel.Tests.Kernel.Ranges;

public sealed class TrackedScratch : IDisposable
{
    private readonly ScratchFilesystem _filesystem;

    public string PinDirectory { get; } = "/sys/fs/bpf/tt-test-" + Guid.NewGuid().ToString("N")[..12];
    public BpfRangeTracker? Tracker { get; private set; }

    public TrackedScratch(long imageBytes = 64L << 20)
    {
        _filesystem = new ScratchFilesystem(imageBytes);
        try
        {
            if (!_filesystem.IsLoopMounted) throw new InvalidOperationException("the range tracker tests need the loop-mounted ext4 scratch (TT_TEST_LOOP=0 is set)"); Tracker = BpfRangeTracker.Start(ObjectPath(), PinDirectory);
        }
        catch { Dispose(); throw; }
    }

    public string Root => _filesystem.Root;

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>The object run-tests.sh built (TIMETRAVEL_BPF_OBJECT); a clear failure when there is none.</summary>
    public static string ObjectPath() => BpfRangeTracker.ObjectPath()
        ?? throw new InvalidOperationException("no range tracker object: run kernel/Bpf/build.sh artifacts/bpf and set TIMETRAVEL_BPF_OBJECT (run-tests.sh does)");

    public void StopTracker() { Tracker?.Dispose(); Tracker = null; }

    public void StartTracker() => Tracker = BpfRangeTracker.Start(ObjectPath(), PinDirectory);

    public static InodeKey KeyOf(string path)
    {
        using SafeFileHandle h = File.OpenHandle(path);
        return InodeKey.Of(h, System.Text.Encoding.UTF8.GetBytes(path));
    }

    /// <summary>Flips, reads and consumes everything recorded so far: what comes after starts from nothing.</summary>
    public void Settle()
    {
        using var maps = Open();
        maps.Consume(maps.Read(maps.Flip()));
    }

    /// <summary>Flips and reads (without consuming) what was recorded for <paramref name="path"/>; null when nothing.</summary>
    public FileRanges? Changes(string path)
    {
        var key = KeyOf(path);
        using var maps = Open();
        var drain = maps.Read(maps.Flip());
        return drain.Files.GetValueOrDefault(key);
    }

    public RangeMaps Open() => RangeMaps.TryOpen(PinDirectory, out var why) ?? throw new InvalidOperationException(why);

    public void Dispose()
    {
        try { Tracker?.Dispose(); }
        finally
        {
            try { RangeMaps.DeletePins(PinDirectory); }
            finally { _filesystem.Dispose(); }
        }
    }
}
