// The writer appends each path once between cuts, and never suppresses a change made after a cut.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Journal;

public sealed class ChangeJournalDedupTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private int RecordsFor(string path) => new JournalReader(_dir.Path).ReadAllSegments()
        .SelectMany(s => s.Records).OfType<ChangeEntry>().Count(e => PathBytes.Display(e.Change.Path) == path);

    [Fact]
    public void APathModifiedTenThousandTimesIsAppendedOnceUntilTheNextCut()
    {
        using var journal = ChangeJournal.Open(_dir.Path);
        for (int i = 0; i < 10_000; i++)
        {
            journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/hot")));
            if (i % 1000 == 0) journal.Flush();
        }
        journal.Flush();
        Assert.Equal(1, RecordsFor("/hot"));

        journal.Cut(TimeSpan.Zero);
        journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/hot")));
        journal.Flush();
        Assert.Equal(2, RecordsFor("/hot"));
    }

    // The tracker journals /f as `before` and flushes; a snapshot (another writer) cuts; the tracker then buffers a
    // modification of /f before it has seen the cut. Returns the changes journaled after the cut.
    private List<ChangeEntry> ChangesAfterACutBetween(ChangeKind before)
    {
        using var tracker = ChangeJournal.Open(_dir.Path);
        using var snapshot = ChangeJournal.Open(_dir.Path);
        tracker.Change(new ChangeRecord(before, PathBytes.From("/f")));
        tracker.Flush();
        long cut = snapshot.Cut(TimeSpan.Zero);
        tracker.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/f")));
        tracker.Flush();
        return new JournalReader(_dir.Path).ReadAllSegments().Single(s => s.Number == cut + 1).Records.OfType<ChangeEntry>().ToList();
    }

    [Fact]
    public void AChangeAfterACutByAnotherWriterIsNotSuppressed() =>
        Assert.Single(ChangesAfterACutBetween(ChangeKind.Modified));

    [Fact]
    public void AWriteAfterACutToAFileJournaledAsNewBeforeItIsNotSuppressed() =>
        Assert.Equal(ChangeKind.Modified, Assert.Single(ChangesAfterACutBetween(ChangeKind.New)).Change.Kind);

    [Fact]
    public void AnIncompleteMarkerRepeatedAfterACutIsWrittenAgain()
    {
        using var tracker = ChangeJournal.Open(_dir.Path);
        using var snapshot = ChangeJournal.Open(_dir.Path);
        tracker.Incomplete("/src", "a file with 2 hard links changed outside the sources");
        tracker.Incomplete("/src", "a file with 2 hard links changed outside the sources");
        tracker.Flush();
        long cut = snapshot.Cut(TimeSpan.Zero);
        tracker.Incomplete("/src", "a file with 2 hard links changed outside the sources");   // before the tracker sees the cut
        tracker.Flush();

        var segments = new JournalReader(_dir.Path).ReadAllSegments();
        Assert.Single(segments.Single(s => s.Number == cut).Records.OfType<IncompleteMarker>());
        Assert.Single(segments.Single(s => s.Number == cut + 1).Records.OfType<IncompleteMarker>());
    }

    [Fact]
    public void ARenameIsKeptEvenWhenItsPathsWereAlreadyModified()
    {
        using var journal = ChangeJournal.Open(_dir.Path);
        journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/d")));
        journal.Change(new ChangeRecord(ChangeKind.Renamed, PathBytes.From("/d"), true, PathBytes.From("/e")));
        journal.Flush();
        Assert.Equal(2, RecordsFor("/d"));
    }
}
