// Each snapshot record in catalog.db carries a checksum: one changed digit in a record (its name, its time, its root's
// score) costs that snapshot only, is warned about by every command and reported by `verify`, never renames or moves
// a snapshot silently nor makes the whole store unreadable. Records written before checksums are read as they are.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LiteDB;
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class CatalogRecordChecksumTests : IDisposable
{
    private readonly TempDir _dir = new("tt-record");
    private readonly string _src, _store, _catalog, _file;

    public CatalogRecordChecksumTests()
    {
        try
        {
            _src = _dir["src"];
            _store = _dir["store"];
            _catalog = Path.Combine(_store, "catalog.db");
            _file = Path.Combine(_src, "a.txt");
            Directory.CreateDirectory(_src);
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            for (int day = 1; day <= 3; day++)
            {
                File.WriteAllText(_file, $"day {day}\n");
                Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", $"2026-01-0{day}T10:00:00+00:00").ExitCode);
            }
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private (List<string> Names, string Stderr) List()
    {
        var r = TimeTravelCli.Run(_store, "list", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        return (JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList(), r.Stderr);
    }

    // Changes the bytes everywhere they occur in the file (a stale copy of a record in a freed page may hold them too).
    private void ReplaceInCatalog(byte[] from, byte[] to)
    {
        var bytes = File.ReadAllBytes(_catalog);
        int found = 0;
        for (int i = bytes.AsSpan().IndexOf(from); i >= 0; )
        {
            to.CopyTo(bytes, i);
            found++;
            int next = bytes.AsSpan(i + 1).IndexOf(from);
            i = next < 0 ? -1 : i + 1 + next;
        }
        Assert.True(found > 0, "the bytes to damage are not in catalog.db");
        File.WriteAllBytes(_catalog, bytes);
    }

    private void AssertOnlyThatSnapshotIsLost(List<string> remaining, string damagedId)
    {
        var (names, stderr) = List();
        Assert.Equal(remaining, names);
        Assert.Contains($"{_catalog}: snapshot record {damagedId}", stderr);
        Assert.Contains("is damaged and left out", stderr);
        var cat = TimeTravelCli.Run(_store, "cat", remaining[^1], _file);
        Assert.True(cat.ExitCode == 0, cat.ToString());
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"snapshot record {damagedId}", verify.Stderr);
        Assert.Contains("every other snapshot is unaffected", verify.Stderr);
        var next = TimeTravelCli.Run(_store, "snapshot");
        Assert.True(next.ExitCode == 0, next.ToString());
    }

    [Fact]
    public void AChangedDigitInANameCostsThatSnapshotAndIsReportedNotARename()
    {
        ReplaceInCatalog("2026-01-02_1000"u8.ToArray(), "2026-01-09_1000"u8.ToArray());
        AssertOnlyThatSnapshotIsLost(["2026-01-01_1000", "2026-01-03_1000"], "2 ('2026-01-09_1000')");
    }

    [Fact]
    public void AChangedTimeCostsThatSnapshotAndIsReportedNotAShift()
    {
        long ns = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        byte[] Field(long value)
        {
            var b = Encoding.ASCII.GetBytes("timeNs\0").Concat(new byte[8]).ToArray();
            BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(7), value);
            return b;
        }
        ReplaceInCatalog(Field(ns), Field(ns + 60_000_000_000));
        AssertOnlyThatSnapshotIsLost(["2026-01-02_1000", "2026-01-03_1000"], "1 ('2026-01-01_1000')");
    }

    [Fact]
    public void ABadCharacterInARootScoreCostsThatSnapshotNotTheStore()
    {
        string score;
        using (var repo = Repository.OpenReader(_store)) score = repo.Catalog.Snapshots()[2].Root.Content.Root.ToString();
        ReplaceInCatalog(Encoding.ASCII.GetBytes(score), Encoding.ASCII.GetBytes("z" + score[1..]));
        AssertOnlyThatSnapshotIsLost(["2026-01-01_1000", "2026-01-02_1000"], "3 ('2026-01-03_1000')");
    }

    [Fact]
    public void RecordsWrittenBeforeChecksumsAreReadAndVerifyNotesThem()
    {
        using (var db = new LiteDatabase(new ConnectionString { Filename = _catalog, Connection = ConnectionType.Direct }))
        {
            var col = db.GetCollection("snapshots");
            foreach (var doc in col.FindAll().ToList()) { doc.Remove("check"); col.Update(doc); }
            db.GetCollection("settings").Delete("record-checksums-from");
            db.Checkpoint();
        }
        var (names, stderr) = List();
        Assert.Equal(["2026-01-01_1000", "2026-01-02_1000", "2026-01-03_1000"], names);
        Assert.DoesNotContain("warning", stderr);
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("3 snapshot records were written before records carried checksums", verify.Stderr);

        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode); // a new record gets a checksum; the old stay legacy
        Assert.Contains("3 snapshot records were written before", TimeTravelCli.Run(_store, "verify").Stderr);
    }
}
