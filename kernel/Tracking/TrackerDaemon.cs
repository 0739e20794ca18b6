// The long-running loop behind `timetravel track`: watch the sources, pump events into the journal, flush every
// second (at once when a snapshot waits for its cut to be confirmed), and on SIGTERM (or cancellation) record a clean stop.
using System.Runtime.InteropServices;
using TimeTravel.Kernel.Journal;

namespace TimeTravel.Kernel.Tracking;

public static class TrackerDaemon
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs until SIGTERM or SIGINT; returns the process exit code.</summary>
    public static int RunUntilSignalled(TrackerOptions options, string journalDirectory, TextWriter log)
    {
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context) { context.Cancel = true; stop.Cancel(); }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        return Run(options, journalDirectory, log, stop.Token);
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

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns 0 after a clean stop, 1 after an error.</summary>
    public static int Run(TrackerOptions options, string journalDirectory, TextWriter log, CancellationToken stop)
    {
        using var journal = ChangeJournal.Open(journalDirectory);
        using var tracker = FanotifyTracker.Start(options);
        journal.WriteTrackerStarted(options.Sources);
        foreach (var notice in tracker.Unwatched)
        {
            log.WriteLine($"timetravel track: not watching {notice.Source}: {notice.Reason}");
            journal.AddStandingIncomplete(notice.Source, notice.Reason);
        }
        journal.Flush();
        log.WriteLine($"timetravel track: watching {string.Join(", ", options.Sources)}; journal {journalDirectory}");

        try
        {
            var lastFlush = DateTime.UtcNow;
            while (!stop.IsCancellationRequested)
            {
                // A snapshot waiting for its cut to be confirmed is not kept waiting for the flush interval: two
                // drain-then-flush rounds confirm it, however close together (see JournalReader's rule).
                bool cutPending = WaitForBatch(journal, stop);
                tracker.Pump(journal, waitMs: 0);
                if (!cutPending && DateTime.UtcNow - lastFlush < FlushInterval) continue;
                tracker.Pump(journal, waitMs: 0);   // drain right before flushing: see JournalReader's rule
                journal.Flush();
                lastFlush = DateTime.UtcNow;
            }
            tracker.Pump(journal, waitMs: 0);
            journal.WriteTrackerStopped(clean: true);
            journal.Flush();
            log.WriteLine("timetravel track: stopped");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            log.WriteLine($"timetravel track: {e.Message}");
            journal.WriteTrackerStopped(clean: false);
            journal.Flush();
            return 1;
        }
    }
}
