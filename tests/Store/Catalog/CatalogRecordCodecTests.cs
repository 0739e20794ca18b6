// The catalog record codec round-trips every field of every kind, and refuses (naming the block) a record that is
// damaged, cut short, or of a kind or version it does not know.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Catalog.Records;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Catalog;

public class CatalogRecordCodecTests
{
    public static SnapshotRecord EveryField(long id = 42) => new()
    {
        Id = id,
        Name = "2026-03-29_0230",
        Time = new DateTimeOffset(2026, 3, 29, 2, 30, 15, TimeSpan.FromMinutes(120)).AddTicks(1234567),
        Sources = ["/home", "/etc", "/srv/dätä"],
        Root = new Node
        {
            Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x3ED, Uid = 1000, Gid = 100, Size = 4096, Blocks = 8,
            MTimeNs = 1_700_000_000_123_456_789, CTimeNs = -5, NLink = 23, Flags = NodeFlags.Unreadable | NodeFlags.Unstable,
            Content = new StreamRef(Score.Of("root"u8), 2, 123_456_789_012),
            Xattrs = [new("system.posix_acl_access"u8.ToArray(), [2, 0, 0, 0, 0xff]), new("user.empty"u8.ToArray(), [])],
        },
        Stats = new SnapshotStats
        {
            Files = -1, Directories = 2, LogicalBytes = 3, TotalsCounted = true, VisitedFiles = 4, VisitedDirectories = 5, BytesRead = 6,
            NewBlocks = 7, NewBytes = 8, StoredBytes = 9, DurationMs = 10, Errors = long.MaxValue,
        },
        Complete = false,
        Method = "journal",
        MethodReason = "tracker journal j-1",
        ChangedPaths = new StreamRef(Score.Of("changed"u8), 1, 77),
        ChangedCount = 12,
        ChangedSince = 41,
        JournalCut = long.MinValue + 1,
        JournalId = "3f2a",
        Pin = new PinInfo(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromMinutes(-330)), "before the upgrade"),
        Note = "apt: install hello (2.10-3)",
        PreId = 41,
    };

    private static T RoundTrip<T>(T r) where T : CatalogRecord
    {
        var bytes = CatalogRecordCodec.Encode(r);
        var back = Assert.IsType<T>(CatalogRecordCodec.Decode(bytes, "test"));
        Assert.Equal(r.Sequence, back.Sequence);
        Assert.Equal(r.Nonce, back.Nonce);
        Assert.Equal(bytes, CatalogRecordCodec.Encode(back)); // nothing lost: it encodes to the same bytes
        return back;
    }

    [Fact]
    public void SnapshotRecordKeepsEveryField()
    {
        var s = EveryField();
        var back = RoundTrip(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s) { Sequence = 7 })).Snapshot;
        Assert.Equal(s.Id, back.Id);
        Assert.Equal(s.Name, back.Name);
        Assert.Equal(s.Time, back.Time);
        Assert.Equal(s.Time.Offset, back.Time.Offset);
        Assert.Equal(s.Sources, back.Sources);
        Assert.True(s.Root.SameMetadata(back.Root));
        Assert.Equal(s.Root.Blocks, back.Root.Blocks);
        Assert.Equal(s.Root.Flags, back.Root.Flags);
        Assert.Equal(s.Root.Content, back.Root.Content);
        Assert.Equal(s.Stats, back.Stats);
        Assert.Equal(s.Complete, back.Complete);
        Assert.Equal(s.Method, back.Method);
        Assert.Equal(s.MethodReason, back.MethodReason);
        Assert.Equal(s.ChangedPaths, back.ChangedPaths);
        Assert.Equal((s.ChangedCount, s.ChangedSince, s.JournalCut, s.JournalId), (back.ChangedCount, back.ChangedSince, back.JournalCut, back.JournalId));
        Assert.Equal(s.Pin, back.Pin);
        Assert.Equal((s.Note, s.PreId), (back.Note, back.PreId));
    }

    [Fact]
    public void AVersion2SnapshotRecordReadsWithoutNoteOrPair()
    {
        // A version 2 record is a version 4 one without the note, pre id and host at its end.
        var s = EveryField() with { Note = null, PreId = 0 };
        var v4 = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s)));
        var v2 = v4[..^3]; // optional note absent (1 byte), pre id 0 (1 byte), optional host absent (1 byte)
        v2[CatalogRecordCodec.C_VERSION] = 2;
        var back = Assert.IsType<SnapshotCommitted>(CatalogRecordCodec.Decode(v2, "v2")).Snapshot;
        Assert.Null(back.Note);
        Assert.Equal(0, back.PreId);
        Assert.Equal(s.Stats, back.Stats);
        Assert.Equal(s.Pin, back.Pin);
    }

    [Fact]
    public void SnapshotRecordKeepsAbsentOptionalFieldsAbsent()
    {
        var s = EveryField() with { MethodReason = null, JournalId = null, Pin = null, ChangedPaths = StreamRef.Empty, Note = null, PreId = 0 };
        var back = RoundTrip(CatalogRecordCodec.WithNonce(new SnapshotCommitted(s))).Snapshot;
        Assert.Null(back.Note);
        Assert.Equal(0, back.PreId);
        Assert.Null(back.MethodReason);
        Assert.Null(back.JournalId);
        Assert.Null(back.Pin);
        Assert.Equal(StreamRef.Empty, back.ChangedPaths);
    }

    [Fact]
    public void ForgetRecordKeepsEveryIdAndRecordScore()
    {
        var f = new SnapshotsForgotten(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123).ToOffset(TimeSpan.FromHours(1)),
            [new ForgottenSnapshot(3, Score.Of("a"u8)), new ForgottenSnapshot(long.MaxValue, Score.Of("b"u8))]) { Sequence = long.MaxValue };
        var back = RoundTrip(CatalogRecordCodec.WithNonce(f));
        Assert.Equal(f.Time, back.Time);
        Assert.Equal(f.Time.Offset, back.Time.Offset);
        Assert.Equal(f.Snapshots, back.Snapshots);
    }

    [Fact]
    public void PinAndUnpinRecordsKeepTheirFields()
    {
        var when = new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(1));
        var pin = RoundTrip(CatalogRecordCodec.WithNonce(new PinChanged(9, Score.Of("s"u8), when, new PinInfo(when, "legal hold")) { Sequence = 3 }));
        Assert.Equal((9L, Score.Of("s"u8), when), (pin.SnapshotId, pin.SnapshotRecord, pin.Time));
        Assert.Equal(new PinInfo(when, "legal hold"), pin.Pin);
        var noNote = RoundTrip(CatalogRecordCodec.WithNonce(new PinChanged(9, Score.Of("s"u8), when, new PinInfo(when, null))));
        Assert.Null(noNote.Pin!.Note);
        var unpin = RoundTrip(CatalogRecordCodec.WithNonce(new PinChanged(9, Score.Of("s"u8), when, null)));
        Assert.Null(unpin.Pin);
    }

    [Fact]
    public void SettingsRecordKeepsSourcesExcludesAndSettings()
    {
        var st = new SettingsRecorded(
            [new SourceRecord("/home", ["*.tmp", "/home/*/.cache"]), new SourceRecord("/etc", [])],
            [KeyValuePair.Create("zone", "Europe/Berlin"), KeyValuePair.Create("retention-policy", "keep-daily 14")]) { Sequence = 1 };
        var back = RoundTrip(CatalogRecordCodec.WithNonce(st));
        Assert.Equal(st.Sources.Select(s => (s.Path, string.Join("|", s.Excludes))), back.Sources.Select(s => (s.Path, string.Join("|", s.Excludes))));
        Assert.Equal(st.Settings, back.Settings);
    }

    [Fact]
    public void TwoRecordsOfTheSameChangeNeverShareAScore()
    {
        var r = new SnapshotCommitted(EveryField()) { Sequence = 1 };
        Assert.NotEqual(Score.Of(CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(r))), Score.Of(CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(r))));
    }

    [Fact]
    public void EveryCutShortRecordIsAnErrorNamingTheBlock()
    {
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(EveryField())));
        for (int n = 0; n < bytes.Length; n++)
        {
            var e = Assert.Throws<InvalidDataException>(() => CatalogRecordCodec.Decode(bytes.AsSpan(0, n), "abc123"));
            Assert.Contains("catalog record abc123 is damaged", e.Message);
        }
    }

    [Fact]
    public void TrailingBytesAreDamage()
    {
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new PinChanged(1, Score.Zero, DateTimeOffset.UnixEpoch, null)));
        var e = Assert.Throws<InvalidDataException>(() => CatalogRecordCodec.Decode([.. bytes, 0], "x"));
        Assert.Contains("1 bytes follow the record's end", e.Message);
    }

    [Fact]
    public void UnknownKindAndVersionAreRefused()
    {
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SettingsRecorded([], [])));
        var kind = (byte[])bytes.Clone(); kind[CatalogRecordCodec.C_KIND] = 9;
        Assert.Contains("unknown record kind 9", Assert.Throws<InvalidDataException>(() => CatalogRecordCodec.Decode(kind, "x")).Message);
        var version = (byte[])bytes.Clone(); version[CatalogRecordCodec.C_VERSION] = (byte)(CatalogRecordCodec.Version + 1);
        Assert.Contains($"unknown record version {CatalogRecordCodec.Version + 1}", Assert.Throws<InvalidDataException>(() => CatalogRecordCodec.Decode(version, "x")).Message);
        var magic = (byte[])bytes.Clone(); magic[0] = (byte)'X';
        Assert.Contains("no TTCR magic", Assert.Throws<InvalidDataException>(() => CatalogRecordCodec.Decode(magic, "x")).Message);
    }

    [Fact]
    public void DamagedFieldsAreErrorsNotGarbage()
    {
        var bytes = CatalogRecordCodec.Encode(CatalogRecordCodec.WithNonce(new SnapshotCommitted(EveryField())));
        // Every single-byte change in the body either decodes to something (a changed digit: the arena's checksum and
        // the score catch that) or is an InvalidDataException naming the block, never another exception.
        for (int i = CatalogRecordCodec.HeadSize; i < bytes.Length; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[i] ^= 0xFF;
            try { CatalogRecordCodec.Decode(damaged, "blk"); }
            catch (InvalidDataException e) { Assert.Contains("catalog record blk is damaged", e.Message); }
        }
    }
}
