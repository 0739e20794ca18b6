// The long-running loop behind `timetravel track`: watch the sources, pump events into the journal, flush every
// second (at once when a snapshot waits for its cut to be confirmed), and on SIGTERM (or cancellation) record a clean
// stop. Every few seconds it checks that the watch still matches the world: a source root replaced, moved or with a
// filesystem mounted on it, or sources and exclude rules changed in the catalog, restart the watch. A restart is
// written as a clean stop and a new start, so the interval it falls in is walked and the next ones are vouched for.
using System.Runtime.InteropServices;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Ranges;

namespace TimeTravel.Kernel.Tracking;

public static class TrackerDaemon
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often the roots and the configuration are checked for a change that needs a new watch.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs until SIGTERM or SIGINT; returns the process exit code.</summary>
    /// <param name="load">Reads the current sources and rules (called at start and when <paramref name="configStamp"/> changes).</param>
    /// <param name="configStamp">A cheap stamp of the configuration (e.g. the catalog's mtime), or null to never reload.</param>
    public static int RunUntilSignalled(Func<TrackerOptions> load, Func<string?>? configStamp, string journalDirectory, TextWriter log)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context) { context.Cancel = true; stop.Cancel(); }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        return Run(load, configStamp, journalDirectory, log, stop.Token);
    }

    /// <summary>
    /// Between drains the tracker lets events gather for this long: the kernel merges queued events on the same file,
    /// so a program writing a file in a thousand write() calls costs the tracker one event, not a thousand.
    /// </summary>
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(250);

    // Waits out one batch interval; a snapshot waiting for its cut ends the wait at once. Returns whether one waits.
    private static bool WaitForBatch(ChangeJournal journal, CancellationToken stop)
    {
        var until = DateTime.UtcNow + BatchInterval;
        while (DateTime.UtcNow < until)
        {
            if (journal.CutPending) return true;
            if (stop.WaitHandle.WaitOne(20)) return false;
        }
        return journal.CutPending;
    }

    /// <summary>Runs a fixed watch until <paramref name="stop"/> is cancelled (tests); see the other overload.</summary>
    public static int Run(TrackerOptions options, string journalDirectory, TextWriter log, CancellationToken stop) =>
        Run(() => options, null, journalDirectory, log, stop);

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns 0 after a clean stop, 1 after an error.</summary>
    public static int Run(Func<TrackerOptions> load, Func<string?>? configStamp, string journalDirectory, TextWriter log, CancellationToken stop)
    {
        // Before the journal is touched: a refused second tracker must write nothing into the running one's journal.
        using var held = TrackerLock.Acquire(journalDirectory);
        var journal = ChangeJournal.Open(journalDirectory);
        string? stamp = configStamp?.Invoke();
        var options = load();
        // Attached before the first watch starts, so every interval the journal vouches for is covered by it too.
        using var ranges = options.TrackRanges ? StartRangeTracker(journal.Id, log) : null;
        try
        {
            while (true)
            {
                string? restart;
                using (var tracker = FanotifyTracker.Start(options, contentByRanges: ranges is not null))
                {
                    journal.WriteTrackerStarted(options.Sources);
                    journal.WriteWatching(tracker.Roots);
                    if (tracker.RangeFsIds.Count > 0) journal.WriteContentByRanges(ranges!.Session, tracker.RangeFsIds);
                    foreach (var notice in tracker.Unwatched)
                    {
                        log.WriteLine($"timetravel track: not watching {notice.Source}: {notice.Reason}");
                        journal.AddStandingIncomplete(notice.Source, notice.Reason);
                    }
                    journal.Flush();
                    log.WriteLine($"timetravel track: watching {string.Join(", ", options.Sources)}; journal {journalDirectory}");
                    restart = Watch(tracker, journal, ref options, load, configStamp, ref stamp, log, stop);
                    tracker.Pump(journal, waitMs: 0);
                    journal.WriteTrackerStopped(clean: true);
                    journal.Flush();
                }
                if (restart is null)
                {
                    log.WriteLine("timetravel track: stopped");
                    return 0;
                }
                log.WriteLine($"timetravel track: restarting the watch: {restart}");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            log.WriteLine($"timetravel track: {e.Message}");
            try
            {
                journal.WriteTrackerStopped(clean: false);
                journal.Flush();
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                log.WriteLine($"timetravel track: cannot record the stop either: {again.Message}");
            }
            return 1;
        }
    }

    // Changed-range tracking (eBPF) next to fanotify. Where BPF cannot be used the tracker runs file-level only, as
    // before, and says why once.
    private static BpfRangeTracker? StartRangeTracker(string journalId, TextWriter log)
    {
        const string off = "timetravel track: changed-range tracking off";
        var objectPath = BpfRangeTracker.ObjectPath();
        if (objectPath is null)
        {
            log.WriteLine($"{off}: the BPF object range-tracker.bpf.o is not installed (run install.sh); changed files are read whole");
            return null;
        }
        try
        {
            var tracker = BpfRangeTracker.Start(objectPath, RangePins.For(journalId));
            // A page dirtied before the programs were attached raised no event, and a store to a page that is still
            // dirty raises none: write everything back once, so that every later first store is seen.
            FlushCalls.Sync();
            log.WriteLine($"timetravel track: changed-range tracking on (eBPF on ext4; maps in {RangePins.For(journalId)})");
            return tracker;
        }
        catch (BpfUnavailableException e)
        {
            log.WriteLine($"{off}: {e.Message}; changed files are read whole");
            return null;
        }
    }

    // The pump-and-flush loop of one watch. Returns why the watch must be restarted, or null when stopped.
    private static string? Watch(FanotifyTracker tracker, ChangeJournal journal, ref TrackerOptions options, Func<TrackerOptions> load,
        Func<string?>? configStamp, ref string? stamp, TextWriter log, CancellationToken stop)
    {
        var lastFlush = DateTime.UtcNow;
        var lastPoll = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            // A snapshot waiting for its cut to be confirmed is not kept waiting for the flush interval: two
            // drain-then-flush rounds confirm it, however close together (see JournalReader's rule).
            bool cutPending = WaitForBatch(journal, stop);
            tracker.Pump(journal, waitMs: 0);
            if (DateTime.UtcNow - lastPoll >= PollInterval)
            {
                lastPoll = DateTime.UtcNow;
                var why = WhyRestart(tracker, ref options, load, configStamp, ref stamp, log);
                if (why is not null) return why;
            }
            if (!cutPending && DateTime.UtcNow - lastFlush < FlushInterval) continue;
            tracker.Pump(journal, waitMs: 0);   // drain right before flushing: see JournalReader's rule
            journal.Flush();
            lastFlush = DateTime.UtcNow;
        }
        return null;
    }

    private static string? WhyRestart(FanotifyTracker tracker, ref TrackerOptions options, Func<TrackerOptions> load,
        Func<string?>? configStamp, ref string? stamp, TextWriter log)
    {
        if (tracker.RootChanged() is { } root) return root;
        if (configStamp is null) return null;
        var now = configStamp();
        if (now == stamp) return null;
        TrackerOptions fresh;
        try { fresh = load(); }
        catch (Exception e)
        {
            // Keep the old stamp, so the next poll tries again (the catalog may be in the middle of a write).
            log.WriteLine($"timetravel track: cannot re-read the sources: {e.Message}");
            return null;
        }
        stamp = now;
        if (fresh.SameWatchAs(options)) return null;
        options = fresh;
        return "the sources or their exclude rules changed";
    }
}
