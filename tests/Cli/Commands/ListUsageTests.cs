// `timetravel list`'s ONLY column: the stored bytes only each snapshot holds. Right figures for a small store; on a
// store past the size a plain `list` computes them for (a test hook lowers it), `list` stays fast and says how to get
// them, `--usage` computes them, and the cache then serves every `list` until the snapshots change.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class ListUsageTests : IDisposable
{
    private readonly TempDir _dir = new("tt-usage");
    private readonly string _src, _store;

    public ListUsageTests()
    {
        _src = _dir["src"]; _store = _dir["store"];
        Directory.CreateDirectory(_src);
        Ok(TimeTravelCli.Run(_store, "init", _src));
        File.WriteAllBytes(Path.Combine(_src, "shared.bin"), Random(300_000, 1));
        File.WriteAllBytes(Path.Combine(_src, "a.bin"), Random(200_000, 2));
        Ok(TimeTravelCli.Run(_store, "snapshot", "--time", "2030-01-01T12:00:00+00:00"));
        File.WriteAllBytes(Path.Combine(_src, "a.bin"), Random(200_000, 3)); // the first snapshot's a.bin is now its own
        File.WriteAllBytes(Path.Combine(_src, "b.bin"), Random(400_000, 4));
        Ok(TimeTravelCli.Run(_store, "snapshot", "--time", "2030-01-02T12:00:00+00:00"));
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Random(int n, int seed) { var b = new byte[n]; new Random(seed).NextBytes(b); return b; }

    private static CliResult Ok(CliResult r) { Assert.True(r.ExitCode == 0, r.ToString()); return r; }

    private static List<long?> Only(string listJson) => JsonDocument.Parse(listJson).RootElement.EnumerateArray()
        .Select(e => e.TryGetProperty("exclusiveBytes", out var b) ? b.GetInt64() : (long?)null).ToList();

    private CliResult List(long limit, params string[] more)
    {
        using var run = TimeTravelCli.StartWith(new Dictionary<string, string> { ["TIMETRAVEL_TEST_USAGE_LIMIT"] = limit.ToString() }, _store, ["list", "--json", .. more]);
        return Ok(run.Wait());
    }

    [Fact]
    public void Only_counts_the_stored_bytes_no_other_snapshot_uses()
    {
        var only = Only(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout);
        // Random bytes are stored raw: the old a.bin (200,000 bytes) is the first snapshot's own, the new a.bin and b.bin
        // the second's; shared.bin counts for neither. Directory, pointer and record blocks add a little.
        Assert.InRange(only[0]!.Value, 200_000, 215_000);
        Assert.InRange(only[1]!.Value, 600_000, 615_000);
    }

    [Fact]
    public void A_store_too_big_for_a_plain_list_gets_only_with_usage_and_then_from_the_cache()
    {
        var plain = List(limit: 0);
        Assert.Equal([null, null], Only(plain.Stdout));
        Assert.Contains("timetravel list --usage", plain.Stderr);

        var computed = Only(List(limit: 0, "--usage").Stdout);
        Assert.All(computed, b => Assert.True(b > 0));
        Assert.Equal(computed, Only(List(limit: 0).Stdout)); // cached now

        Ok(TimeTravelCli.Run(_store, "snapshot", "--time", "2030-01-03T12:00:00+00:00")); // the snapshots change: the cache is stale
        Assert.Equal([null, null, null], Only(List(limit: 0).Stdout));
    }
}
