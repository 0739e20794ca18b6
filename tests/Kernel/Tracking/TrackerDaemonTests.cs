// The daemon end to end, in process: it feeds the journal, confirms cuts, and records a clean stop when cancelled.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

[NeedsRoot]
[NeedsFanotify]
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
        var log = new SharedLog();
        var options = new TrackerOptions { Sources = [source], IgnoreRoot = store };
        var daemon = Task.Run(() => TrackerDaemon.Run(options, journalDir, log, stop.Token));
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

    private static List<JournalRecord> AllRecords(string journalDir) =>
        new JournalReader(journalDir).ReadAllSegments().SelectMany(s => s.Records).ToList();

    private static void WaitFor(Func<bool> condition, string what, SharedLog log, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; log:\n{log}");
            Thread.Sleep(50);
        }
    }

    // Regression: `timetravel init src2` (or removing an exclude) while the tracker ran went unnoticed for good.
    [Fact]
    public async Task ACatalogChangeToTheSourcesRestartsTheWatchAsAStopAndAStartButAnIrrelevantOneDoesNot()
    {
        var a = Path.Combine(_scratch.Root, "a");
        var b = Path.Combine(_scratch.Root, "b");
        var journalDir = Path.Combine(_scratch.Root, "store", "journal");
        Directory.CreateDirectory(a);
        Directory.CreateDirectory(b);
        int stamp = 1, sourcesVersion = 1;
        TrackerOptions Load() => new()
        {
            Sources = Volatile.Read(ref sourcesVersion) == 1 ? [a] : [a, b],
            Fingerprints = new Dictionary<string, string> { [a] = "fa", [b] = "fb" },
        };
        using var stop = new CancellationTokenSource();
        var log = new SharedLog();
        var daemon = Task.Run(() => TrackerDaemon.Run(Load, () => Volatile.Read(ref stamp).ToString(), journalDir,
            log, stop.Token));
        try
        {
            WaitFor(() => Directory.Exists(journalDir) && AllRecords(journalDir).OfType<Watching>().Any(), "the first watch", log);

            Volatile.Write(ref stamp, 2);   // the catalog changed (a snapshot was recorded), the sources did not
            Thread.Sleep(TrackerDaemon.PollInterval * 2);
            Assert.DoesNotContain("restarting", log.ToString());

            Volatile.Write(ref sourcesVersion, 2);
            Volatile.Write(ref stamp, 3);
            WaitFor(() => log.ToString().Contains("restarting the watch: the sources or their exclude rules changed"), "a restart", log);
            WaitFor(() => AllRecords(journalDir).OfType<Watching>().Count() >= 2, "the second watch", log);

            var records = AllRecords(journalDir);
            var kinds = records.Where(r => r is TrackerStarted or TrackerStopped).Select(r => r.GetType().Name).ToList();
            Assert.Equal(["TrackerStarted", "TrackerStopped", "TrackerStarted"], kinds);
            Assert.Equal([a, b], records.OfType<Watching>().Last().Sources.Select(w => w.Path));
            Assert.Equal("fb", records.OfType<Watching>().Last().Sources[1].Fingerprint);
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await daemon.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    // A source root replaced (or mounted over) under a running tracker: the old watch names the wrong directory.
    [Fact]
    public async Task ASourceRootReplacedUnderTheTrackerRestartsTheWatchOnTheNewDirectory()
    {
        var source = Path.Combine(_scratch.Root, "src");
        var journalDir = Path.Combine(_scratch.Root, "store", "journal");
        Directory.CreateDirectory(source);
        using var stop = new CancellationTokenSource();
        var log = new SharedLog();
        var options = new TrackerOptions { Sources = [source] };
        var daemon = Task.Run(() => TrackerDaemon.Run(options, journalDir, log, stop.Token));
        try
        {
            WaitFor(() => Directory.Exists(journalDir) && AllRecords(journalDir).OfType<Watching>().Any(), "the first watch", log);
            var before = AllRecords(journalDir).OfType<Watching>().Single().Sources.Single();
            Assert.Equal(FanotifyTracker.RootIdentity(source), (before.Device, before.Inode));

            Directory.Move(source, source + ".old");
            Directory.CreateDirectory(source);
            WaitFor(() => log.ToString().Contains("restarting the watch"), "a restart", log);
            WaitFor(() => AllRecords(journalDir).OfType<Watching>().Count() >= 2, "the second watch", log);
            var after = AllRecords(journalDir).OfType<Watching>().Last().Sources.Single();
            Assert.Equal(FanotifyTracker.RootIdentity(source), (after.Device, after.Inode));
            Assert.NotEqual(before.Inode, after.Inode);
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await daemon.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    // The daemon writes its log on its own thread while the test reads it: both take one lock (a StringWriter read
    // during a write threw from StringBuilder.ToString under load).
    private sealed class SharedLog : TextWriter
    {
        private readonly System.Text.StringBuilder _text = new();
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) { lock (_text) _text.Append(value); }
        public override void Write(string? value) { lock (_text) _text.Append(value); }
        public override void WriteLine(string? value) { lock (_text) _text.Append(value).Append('\n'); }
        public override string ToString() { lock (_text) return _text.ToString(); }
    }
}
