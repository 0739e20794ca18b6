// The daemon end to end, in process: it feeds the journal, confirms cuts, and records a clean stop when cancelled.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

public sealed class TrackerDaemonTests : IDisposable
{
    private readonly ScratchFilesystem _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task ChangesBetweenTwoCutsOfARunningDaemonFormACompleteSetAndCancellationStopsCleanly()
    {
        var source = Path.Combine(_scratch.Root, "src");
        var store = Path.Combine(_scratch.Root, "store");
        var journalDir = Path.Combine(store, "journal");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(store);

        using var stop = new CancellationTokenSource();
        var log = new StringWriter();
        var options = new TrackerOptions { Sources = [source], IgnoreRoot = store };
        var daemon = Task.Run(() => TrackerDaemon.Run(options, journalDir, TextWriter.Synchronized(log), stop.Token));
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!Directory.Exists(journalDir) || new JournalReader(journalDir).ReadAllSegments()
                       .SelectMany(s => s.Records).OfType<TrackerStarted>().FirstOrDefault() is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "the daemon never started: " + log);
                Thread.Sleep(50);
            }

            using var snap = ChangeJournal.Open(journalDir);
            long first = snap.Cut(TimeSpan.FromSeconds(10));
            File.WriteAllText(Path.Combine(source, "new.txt"), "x");
            Directory.CreateDirectory(Path.Combine(source, "dir"));
            long second = snap.Cut(TimeSpan.FromSeconds(10));

            var set = new JournalReader(journalDir).ReadBetween(first, second);
            Assert.True(set.Complete, set.WhyIncomplete);
            var changed = set.Changed.Select(p => PathBytes.Display(p)).ToList();
            Assert.Contains(Path.Combine(source, "new.txt"), changed);
            Assert.Contains(Path.Combine(source, "dir"), changed);
            Assert.DoesNotContain(changed, p => p.StartsWith(store));
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await daemon.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        var last = new JournalReader(journalDir).ReadAllSegments().Last().Records.Last();
        Assert.Equal(true, (last as TrackerStopped)?.Clean);
    }
}
