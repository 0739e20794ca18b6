// Plays the tracker daemon's part in the journal (session start, flushes with heartbeats, stop or crash) without fanotify.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Tests.Kernel.Support;

public sealed class SimulatedTracker : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;

    public ChangeJournal Journal { get; }

    public SimulatedTracker(string journalDirectory, string source = "/src", IReadOnlyList<WatchedSource>? watching = null)
    {
        Journal = ChangeJournal.Open(journalDirectory);
        Journal.WriteTrackerStarted([source]);
        if (watching is not null) Journal.WriteWatching(watching);
        Journal.Flush();
        _flusher = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Journal.Flush();
                try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public void Change(ChangeKind kind, string path, string? to = null, bool isDirectory = false) =>
        Journal.Change(new ChangeRecord(kind, PathBytes.From(path), isDirectory, to is null ? null : PathBytes.From(to)));

    /// <summary>Dies without a word, like kill -9: no TrackerStopped, no more heartbeats.</summary>
    public void Crash()
    {
        _stop.Cancel();
        _flusher.Wait();
    }

    public void StopCleanly()
    {
        Crash();
        Journal.WriteTrackerStopped(clean: true);
        Journal.Flush();
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested) Crash();
    }
}
