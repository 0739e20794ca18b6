// The journal's framing: a torn tail from a crash is ignored and repaired; a bad record in the middle is damage.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Journal;

public sealed class JournalFramingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Segment1 => Directory.GetFiles(_dir.Path, "segment-*.ttj").Order().First();

    private void WriteChanges(params string[] paths)
    {
        using var journal = ChangeJournal.Open(_dir.Path);
        foreach (var p in paths) journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From(p)));
        journal.Flush();
    }

    private string JournalDirectoryPath(long segment) => Path.Combine(_dir.Path, $"segment-{segment:D16}.ttj");

    private List<string> ChangedPaths() => new JournalReader(_dir.Path).ReadAllSegments()
        .SelectMany(s => s.Records).OfType<ChangeEntry>().Select(e => PathBytes.Display(e.Change.Path)).ToList();

    [Fact]
    public void ATornTailIsIgnoredAndTheNextWriterAppendsAfterTheGoodRecords()
    {
        WriteChanges("/a", "/b");
        using (var f = new FileStream(Segment1, FileMode.Append)) f.Write([40, 0, 0, 0, 1, 2, 3, 4, 1, 2]);   // claims 40 bytes, has 2

        var segment = new JournalReader(_dir.Path).ReadAllSegments().Single();
        Assert.True(segment.TornTail);
        Assert.Null(segment.Damage);
        Assert.Equal(["/a", "/b"], ChangedPaths());

        WriteChanges("/c");
        Assert.Equal(["/a", "/b", "/c"], ChangedPaths());
        Assert.False(new JournalReader(_dir.Path).ReadAllSegments().Single().TornTail);
    }

    // Regression: a damaged last record was taken for a torn tail and cut off silently, and the change it held was
    // missed. Whatever the cut-off bytes held, the interval they belonged to is now walked.
    [Fact]
    public void CuttingOffATornTailLeavesAnIncompleteMarkerSoTheIntervalIsWalked()
    {
        using var journal = ChangeJournal.Open(_dir.Path);
        long first = journal.Cut(TimeSpan.Zero);
        journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/src/kept")));
        journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/src/lost")));
        journal.Flush();
        var segment = JournalDirectoryPath(first + 1);
        var bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0xFF;   // damage the last record ("/src/lost"): its checksum fails and nothing follows it
        File.WriteAllBytes(segment, bytes);

        using (var writer = ChangeJournal.Open(_dir.Path)) writer.Incomplete("/other", "unrelated");   // any later append cuts the tail
        long second = journal.Cut(TimeSpan.Zero);

        var set = new JournalReader(_dir.Path).ReadBetween(first, second, requireTracker: false);
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
        Assert.Contains("journal tail damaged at offset", set.WhyIncomplete);
        Assert.DoesNotContain(set.Changed, p => PathBytes.Display(p) == "/src/lost");
    }

    [Fact]
    public void ACorruptRecordInTheMiddleMarksTheJournalDamaged()
    {
        WriteChanges("/first", "/second", "/third");
        var bytes = File.ReadAllBytes(Segment1);
        int second = bytes.AsSpan().IndexOf("/second"u8);
        bytes[second + 2] ^= 0xFF;
        File.WriteAllBytes(Segment1, bytes);

        var segment = new JournalReader(_dir.Path).ReadAllSegments().Single();
        Assert.NotNull(segment.Damage);
        Assert.False(segment.TornTail);

        using var journal = ChangeJournal.Open(_dir.Path);
        long cut = journal.Cut(TimeSpan.Zero);
        var set = new JournalReader(_dir.Path).ReadBetween(0, cut, requireTracker: false);
        Assert.False(set.Complete);
        Assert.Contains("damaged", set.WhyIncomplete);
    }

    [Fact]
    public void EveryRecordKindRoundTrips()
    {
        JournalRecord[] records =
        [
            new ChangeEntry(new ChangeRecord(ChangeKind.Renamed, [0x2F, 0xFF], true, [0x2F, 0x61])),
            new TrackerStarted(DateTimeOffset.FromUnixTimeMilliseconds(1000), 7, ["/a", "/b"]),
            new TrackerStopped(DateTimeOffset.FromUnixTimeMilliseconds(2000), 7, true),
            new Heartbeat(DateTimeOffset.FromUnixTimeMilliseconds(3000), 7),
            new IncompleteMarker(DateTimeOffset.FromUnixTimeMilliseconds(4000), "/a", "why"),
            new IncompleteMarker(DateTimeOffset.FromUnixTimeMilliseconds(5000), null, "all"),
            new SnapshotCut(DateTimeOffset.FromUnixTimeMilliseconds(6000), 9),
            new Watching(DateTimeOffset.FromUnixTimeMilliseconds(7000), 7, [new WatchedSource("/a", "f1", 2049, 12, 0xABCDEF)]),
            new LogImported(DateTimeOffset.FromUnixTimeMilliseconds(8000), 3, true, false, ["/var/log/backup/x.log"],
                [new WatchedSource("/a", "f1", 0, 0, 0), new WatchedSource("/b", "f2", 0, 0, 0)]),
            new ContentByRanges(DateTimeOffset.FromUnixTimeMilliseconds(9000), 7, 0x1234, [0xABCDEF, 0x42]),
        ];
        foreach (var record in records)
        {
            var decoded = JournalCodec.DecodePayload(JournalCodec.EncodePayload(record));
            Assert.Equal(record.GetType(), decoded.GetType());
            Assert.Equal(JournalCodec.EncodePayload(record), JournalCodec.EncodePayload(decoded));
        }
    }
}
