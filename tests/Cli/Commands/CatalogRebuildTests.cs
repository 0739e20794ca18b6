// `timetravel catalog rebuild` end to end, with the AOT binary: a store with several snapshots, a forget, a pin and a
// changed source list loses catalog.db; every command then names `timetravel catalog rebuild`; the rebuild brings back
// the same `list --json` (names, times, roots, stats, pins) without the forgotten snapshot, ls and cat work, and the
// next snapshot follows on. A catalog of garbage bytes is kept aside, never deleted.
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class CatalogRebuildTests : IDisposable
{
    private readonly TempDir _dir = new("tt-rebuild");
    private readonly string _src, _src2, _store, _catalog;

    public CatalogRebuildTests()
    {
        _src = _dir["src"]; _src2 = _dir["src2"]; _store = _dir["store"];
        _catalog = Path.Combine(_store, "catalog.db");
        Directory.CreateDirectory(_src);
        Directory.CreateDirectory(_src2);
        File.WriteAllText(Path.Combine(_src2, "other.txt"), "other\n");
        Ok(TimeTravelCli.Run(_store, "init", _src));
        for (int day = 1; day <= 4; day++)
        {
            File.WriteAllText(Path.Combine(_src, "a.txt"), $"day {day}\n");
            if (day == 3) Ok(TimeTravelCli.Run(_store, "init", _src2, "--exclude", "*.tmp")); // the source list changes
            Ok(TimeTravelCli.Run(_store, "snapshot", "--time", $"2030-01-0{day}T12:00:00+01:00"));
        }
        Ok(TimeTravelCli.Run(_store, "forget", "2030-01-02_1100"));
        using var repo = Repository.OpenWriter(_store, "test");
        repo.Pin(repo.FindSnapshot("2030-01-01_1100"), "before the upgrade");
    }

    public void Dispose() => _dir.Dispose();

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    // Everything `list --json` says, plus each snapshot's pin (which `list` may not show).
    private string Listing()
    {
        var list = Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout;
        using var repo = Repository.OpenReader(_store);
        var pins = string.Join(";", repo.Catalog.Snapshots().Select(s => $"{s.Id}:{s.Pin?.Note}:{s.Pin?.Time:O}"));
        var sources = string.Join(";", repo.Catalog.Sources().Select(s => $"{s.Path}:{string.Join(",", s.Excludes)}"));
        return list + "\n" + pins + "\n" + sources + "\n" + repo.Catalog.Setting("zone");
    }

    [Fact]
    public void ADeletedCatalogIsNamedByEveryCommandAndRebuiltAsItWas()
    {
        string before = Listing();
        Assert.DoesNotContain("2030-01-02_1100", before);
        File.Delete(_catalog);
        foreach (var args in new[] { new[] { "list" }, ["ls", "latest"], ["cat", "latest", Path.Combine(_src, "a.txt")], ["stats"], ["verify"], ["snapshot"], ["forget", "latest"] })
        {
            var r = TimeTravelCli.Run(_store, args);
            Assert.True(r.ExitCode == 1, $"{args[0]}: {r}");
            Assert.Contains("`timetravel catalog rebuild`", r.Stderr);
        }

        var rebuilt = Ok(TimeTravelCli.Run(_store, "catalog", "rebuild", "--json"));
        using (var json = JsonDocument.Parse(rebuilt.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("ok").GetBoolean(), rebuilt.ToString());
            Assert.Equal(3, json.RootElement.GetProperty("snapshots").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("forgotten").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("pinned").GetInt32());
        }
        Assert.Equal(before, Listing());
        Assert.Equal("day 1\n", Ok(TimeTravelCli.Run(_store, "cat", "2030-01-01_1100", Path.Combine(_src, "a.txt"))).Stdout);
        Assert.Contains("other.txt", Ok(TimeTravelCli.Run(_store, "ls", "latest", _src2)).Stdout);
        Ok(TimeTravelCli.Run(_store, "verify"));

        // The next snapshot follows on: a new id, its changes counted against the latest kept one.
        File.WriteAllText(Path.Combine(_src, "a.txt"), "day 5\n");
        Ok(TimeTravelCli.Run(_store, "snapshot", "--time", "2030-01-05T12:00:00+01:00"));
        using var repo = Repository.OpenReader(_store);
        var all = repo.Catalog.Snapshots();
        Assert.Equal([1L, 3L, 4L, 5L], all.Select(s => s.Id));
        Assert.Equal(4, all[^1].ChangedSince);
        Assert.True(all[^1].ChangedCount >= 1);
        Assert.Equal("day 5\n", Ok(TimeTravelCli.Run(_store, "cat", "latest", Path.Combine(_src, "a.txt"))).Stdout);
    }

    [Fact]
    public void AReadableCatalogIsRebuiltOnlyWithForce()
    {
        var r = TimeTravelCli.Run(_store, "catalog", "rebuild");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--force", r.Stderr);
    }

    [Fact]
    public void ACatalogOfGarbageIsKeptAsideAndRebuilt()
    {
        string before = Listing();
        var garbage = TimeTravel.Tests.Store.Support.SourceFiles.Random(40_000, 11);
        File.WriteAllBytes(_catalog, garbage);
        var list = TimeTravelCli.Run(_store, "list");
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("`timetravel catalog rebuild`", list.Stderr);

        var rebuilt = Ok(TimeTravelCli.Run(_store, "catalog", "rebuild", "--force"));
        Assert.Contains("catalog.db.damaged-", rebuilt.Stdout);
        var kept = Assert.Single(Directory.GetFiles(_store, "catalog.db.damaged-*"));
        Assert.Equal(garbage, File.ReadAllBytes(kept));
        Assert.Equal(before, Listing());
    }
}
