// `timetravel pin` and `unpin`: a pin shows in `list` (text and JSON) with its note, keeps its snapshot from every
// retention policy, makes a named `forget` refuse it until unpinned, and a pinned snapshot that survived a policy is
// still in the mount.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class PinCommandTests(RetentionStoreFixture f) : IClassFixture<RetentionStoreFixture>, IDisposable
{
    private readonly TempDir _dir = new("tt-pin-cmd");
    private string? _store;
    private string Store => _store ??= f.Copy(_dir);

    public void Dispose() => _dir.Dispose();

    private List<JsonElement> List() =>
        JsonDocument.Parse(TimeTravelCli.Run(Store, "list", "--json").Stdout).RootElement.EnumerateArray().ToList();

    private List<string> Names() => List().Select(s => s.GetProperty("name").GetString()!).ToList();

    private CliResult Ok(params string[] args)
    {
        var r = TimeTravelCli.Run(Store, args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [Fact]
    public void APinShowsInListWithItsNoteAndUnpinTakesItAway()
    {
        Assert.Contains("pinned 2026-01-02_1000 (id 3): before the upgrade", Ok("pin", "2026-01-02_1000", "--note", "before the upgrade").Stdout);
        Ok("pin", "5");
        var text = Ok("list").Stdout.Split('\n');
        Assert.Contains("PIN", text[0]);
        Assert.EndsWith("pinned: before the upgrade", text.Single(l => l.StartsWith("2026-01-02_1000")));
        Assert.EndsWith("pinned", text.Single(l => l.StartsWith("2026-01-03_1000")));
        Assert.DoesNotContain("pinned", text.Single(l => l.StartsWith("2026-01-01_1000")));

        var json = List().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.True(json["2026-01-02_1000"].GetProperty("pinned").GetBoolean());
        Assert.Equal("before the upgrade", json["2026-01-02_1000"].GetProperty("pin").GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, json["2026-01-03_1000"].GetProperty("pin").GetProperty("note").ValueKind);
        Assert.False(json["2026-01-01_1000"].GetProperty("pinned").GetBoolean());
        Assert.False(json["2026-01-01_1000"].TryGetProperty("pin", out _));

        Assert.Contains("unpinned 2026-01-02_1000 (id 3) (before the upgrade)", Ok("unpin", "2026-01-02_1000").Stdout);
        Assert.Contains("is not pinned; nothing changed", Ok("unpin", "2026-01-02_1000").Stdout);
        Assert.False(List().Single(s => s.GetProperty("id").GetInt64() == 3).GetProperty("pinned").GetBoolean());
        Assert.True(List().Single(s => s.GetProperty("id").GetInt64() == 5).GetProperty("pinned").GetBoolean());
    }

    [Fact]
    public void ForgetByNameRefusesAPinnedSnapshotUntilItIsUnpinned()
    {
        Ok("pin", "2026-01-01_1000", "--note", "legal hold");
        foreach (var args in new[] { new[] { "forget", "2026-01-01_1000" }, ["forget", "--dry-run", "2", "1"], ["forget", "--force", .. RetentionStoreFixture.Names] })
        {
            var r = TimeTravelCli.Run(Store, args);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("2026-01-01_1000 (id 1) is pinned (legal hold); unpin it first", r.Stderr);
            Assert.Equal(RetentionStoreFixture.Names, Names());
        }
        Ok("unpin", "1");
        Ok("forget", "2026-01-01_1000");
        Assert.Equal(RetentionStoreFixture.Names[1..], Names());
    }

    [Fact]
    public void PinAndUnpinNameASnapshotExactly()
    {
        foreach (var cmd in new[] { "pin", "unpin" })
        {
            var r = TimeTravelCli.Run(Store, cmd, "2026-01-0");
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains("no snapshot '2026-01-0'", r.Stderr);
        }
        Assert.All(List(), s => Assert.False(s.GetProperty("pinned").GetBoolean()));
    }

    [Fact]
    public void APinnedSnapshotSurvivesAPolicyThatWouldRemoveIt()
    {
        Ok("pin", "2026-01-02_1000", "--note", "checkpoint");
        var dry = JsonDocument.Parse(Ok("forget", "--dry-run", "--json", "--keep-last", "1").Stdout).RootElement;
        var kept = dry.GetProperty("kept").EnumerateArray().ToList();
        Assert.Equal(["pinned"], kept.Single(s => s.GetProperty("name").GetString() == "2026-01-02_1000").GetProperty("reasons").EnumerateArray().Select(x => x.GetString()));
        Ok("forget", "--keep-last", "1");
        Assert.Equal(["2026-01-02_1000", "2026-01-04_1600"], Names());
        Assert.Equal(0, TimeTravelCli.Run(Store, "verify", "--read-data").ExitCode);
    }

    [Fact, NeedsFuse]
    public void APinnedSnapshotThatSurvivedAPolicyIsStillInTheMount()
    {
        Ok("pin", "2026-01-02_1000");
        Ok("policy", "set", "--keep-last", "1");
        Ok("forget", "--policy");
        string mp = _dir["mnt"];
        Directory.CreateDirectory(mp);
        using var daemon = new MountDaemon(Store, mp);
        Assert.True(daemon.StartResult.ExitCode == 0, daemon.StartResult.ToString());
        // The snapshots, and a name per day for the newest of that day.
        var shown = Directory.GetDirectories(mp).Select(Path.GetFileName).Where(n => n!.StartsWith("2026-")).Order().ToList();
        Assert.Equal(["2026-01-02", "2026-01-02_1000", "2026-01-04", "2026-01-04_1600"], shown);
        string pinnedDir = Path.Combine(mp, "2026-01-02_1000", f.Source.TrimStart('/'));
        Assert.Equal("written for 2026-01-02_1000\n", File.ReadAllText(Path.Combine(pinnedDir, "2026-01-02_1000.txt")));
        Assert.False(File.Exists(Path.Combine(pinnedDir, "2026-01-02_1600.txt")));
    }
}
