// A catalog that holds another host's snapshots as well as its own, end to end through the commands (issue 14):
// `list` shows a HOST column (and "host" in --json) only then and filters with --host; forget and pin refuse the other
// host's snapshots, naming it; a retention policy plans for the own host only; `yesterday` reads the own host's
// snapshots by default and another's with --host; `init --host` records the store's host and refuses a bad name.
// The other host's snapshot is made from a real snapshot of this store (its blocks are here, as in a shared store),
// forgotten here and imported back as web1's with content the own host no longer has.
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Cli.Yesterday;
using Xunit;

namespace TimeTravel.Tests.Cli.Hosts;

public sealed class ManyHostsCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-hosts-cli");
    private readonly string _store, _src, _fstab;

    public ManyHostsCommandTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        _fstab = Path.Combine(_src, "fstab");
        Directory.CreateDirectory(_src);
        Ok(TimeTravelCli.Run(_store, "init", "--host", "here", _src));
        File.WriteAllText(_fstab, "web1's fstab\n");
        Ok(TimeTravelCli.Run(_store, "snapshot", "--quiet", "--time", "2025-06-01T14:00:00+00:00"));
        File.WriteAllText(_fstab, "here's fstab\n");
        Ok(TimeTravelCli.Run(_store, "snapshot", "--quiet", "--time", "2025-06-02T14:00:00+00:00"));
        Ok(TimeTravelCli.Run(_store, "snapshot", "--quiet", "--time", "2025-06-03T14:00:00+00:00"));
    }

    public void Dispose() => _dir.Dispose();

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private static CliResult Refused(CliResult r)
    {
        Assert.True(r.ExitCode != 0, r.ToString());
        return r;
    }

    // The first snapshot becomes web1's (newer than every own one, days 4 and 5) and leaves the own host's list.
    private void ImportWeb1()
    {
        using var repo = Repository.OpenWriter(_store, "test");
        var first = repo.FindSnapshot("2025-06-01_1400");
        repo.Forget([first]);
        repo.ImportForeignSnapshots([
            first with { Host = "web1", Name = "2025-06-04_1400", Time = new DateTimeOffset(2025, 6, 4, 14, 0, 0, TimeSpan.Zero) },
            first with { Host = "web1", Name = "2025-06-05_1400", Time = new DateTimeOffset(2025, 6, 5, 14, 0, 0, TimeSpan.Zero) },
        ]);
    }

    private static List<(string? Host, string Name)> JsonList(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.TryGetProperty("host", out var h) ? h.GetString() : null, e.GetProperty("name").GetString()!)).ToList();
    }

    [Fact]
    public void ListOfAStoreWithOneHostHasNoHostColumn()
    {
        var text = Ok(TimeTravelCli.Run(_store, "list")).Stdout;
        Assert.StartsWith("NAME ", text);
        Assert.DoesNotContain("HOST", text);
        Assert.All(JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout), s => Assert.Null(s.Host));
    }

    [Fact]
    public void ListShowsEachSnapshotsHostAndFiltersByHost()
    {
        ImportWeb1();
        var lines = Ok(TimeTravelCli.Run(_store, "list")).Stdout.TrimEnd().Split('\n');
        Assert.StartsWith("HOST ", lines[0]);
        Assert.Equal(["here 2025-06-02_1400", "here 2025-06-03_1400", "web1 2025-06-04_1400", "web1 2025-06-05_1400"],
            lines[1..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2])).ToArray());

        Assert.Equal([("here", "2025-06-02_1400"), ("here", "2025-06-03_1400"), ("web1", "2025-06-04_1400"), ("web1", "2025-06-05_1400")],
            JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout));
        Assert.Equal([("web1", "2025-06-04_1400"), ("web1", "2025-06-05_1400")],
            JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json", "--host", "web1")).Stdout));
        Assert.Equal([("here", "2025-06-02_1400"), ("here", "2025-06-03_1400")],
            JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json", "--host", "here")).Stdout));
        Assert.Contains("its hosts are here, web1", Refused(TimeTravelCli.Run(_store, "list", "--host", "web9")).Stderr);
        Assert.Contains("not a host name", Refused(TimeTravelCli.Run(_store, "list", "--host", "a/b")).Stderr);
    }

    [Fact]
    public void ForgetAndPinOfAnotherHostsSnapshotAreRefusedNamingTheHost()
    {
        ImportWeb1();
        Assert.Contains("snapshot web1/2025-06-04_1400 belongs to host web1; forget it there",
            Refused(TimeTravelCli.Run(_store, "forget", "web1/2025-06-04_1400")).Stderr);
        Assert.Contains("snapshot web1/2025-06-05_1400 belongs to host web1; pin it there",
            Refused(TimeTravelCli.Run(_store, "pin", "web1/latest")).Stderr);
        Assert.Contains("no snapshot '2025-06-04_1400'", Refused(TimeTravelCli.Run(_store, "forget", "2025-06-04_1400")).Stderr); // a bare name is the own host's
        Assert.Equal(4, JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout).Count);
        Ok(TimeTravelCli.Run(_store, "pin", "here/latest"));
    }

    [Fact]
    public void ARetentionPolicyPlansForTheOwnHostOnly()
    {
        ImportWeb1();
        Ok(TimeTravelCli.Run(_store, "forget", "--keep-last", "1"));
        Assert.Equal([("here", "2025-06-03_1400"), ("web1", "2025-06-04_1400"), ("web1", "2025-06-05_1400")],
            JsonList(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout));
    }

    [Fact]
    public void YesterdayReadsTheOwnHostsSnapshotsUnlessTold()
    {
        ImportWeb1();
        var y = new YesterdayRunner(_store, _src);
        Assert.Equal($"2025-06-03_1400:{_fstab}\n", Ok(y.Run("fstab")).Stdout);
        Assert.Equal($"2025-06-05_1400:{_fstab}\n", Ok(y.Run("--host", "web1", "fstab")).Stdout);
        Assert.Equal($"2025-06-04_1400:{_fstab}\n", Ok(y.Run("--host", "web1", "--at", "2025-06-04 15:00", "fstab")).Stdout);
        var diff = Ok(y.Run("--host", "here", "-d", "fstab")).Stdout;
        Assert.Equal("", diff); // the own host's newest has what the file has now
        var web1 = Refused(y.Run("--host", "web1", "-d", "fstab")).Stdout; // diff exits 1: they differ
        Assert.Contains("-web1's fstab", web1);
        Assert.Contains("no snapshot of that host", Refused(y.Run("--host", "web9", "fstab")).Stderr);
    }

    [Fact]
    public void InitRecordsTheStoresHostAndRefusesABadNameBeforeMakingAStore()
    {
        using (var repo = Repository.OpenReader(_store)) Assert.Equal("here", repo.HostName);
        string other = _dir["other"];
        Assert.Contains("not a host name", Refused(TimeTravelCli.Run(other, "init", "--host", "..", _src)).Stderr);
        Assert.False(Directory.Exists(other), "a refused --host made a store");
        Ok(TimeTravelCli.Run(other, "init", _src));
        using var made = Repository.OpenReader(other);
        Assert.Equal(Environment.MachineName.Split('.')[0], made.Catalog.Setting("host"));
    }
}
