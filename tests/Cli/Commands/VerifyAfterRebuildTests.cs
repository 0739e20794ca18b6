// A damaged arena record dropped by `index rebuild`: the rebuild says so and exits 3, and `verify --read-data`
// then names every snapshot path that used the lost block, in every snapshot, not only the first path met.
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class VerifyAfterRebuildTests : IDisposable
{
    private readonly TempDir _dir = new("tt-verrebuild");
    private readonly string _src, _store;
    private readonly string[] _users;

    public VerifyAfterRebuildTests()
    {
        try
        {
            _src = _dir["src"];
            _store = _dir["store"];
            var shared = SourceFiles.Random(200_000, 31);
            _users = [Path.Combine(_src, "a", "copy1.bin"), Path.Combine(_src, "b", "copy2.bin"), Path.Combine(_src, "b", "c", "copy3.bin")];
            foreach (var f in _users) { Directory.CreateDirectory(Path.GetDirectoryName(f)!); File.WriteAllBytes(f, shared); }
            File.WriteAllBytes(Path.Combine(_src, "other.bin"), SourceFiles.Random(100_000, 32));
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", "2026-01-01T10:00:00+00:00").ExitCode);
            File.WriteAllText(Path.Combine(_src, "new.txt"), "a change, so the second snapshot has a new root\n");
            Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", "2026-01-02T10:00:00+00:00").ExitCode);
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    // Flips a payload byte of the shared content's second chunk, in its arena.
    private void DamageTheSharedBlock()
    {
        string arena; long at;
        using (var repo = Repository.OpenReader(_store))
        {
            (arena, var loc) = Damage.Locate(repo, Damage.DataBlocksOf(repo, repo.FindSnapshot("latest").Root, _users[0])[1]);
            at = loc.Offset + ArenaFormat.RecordHeaderSize + 100;
        }
        Damage.FlipBits(arena, at);
    }

    [Fact]
    public void RebuildSkippingDamageExits3AndVerifyNamesEveryPathInEverySnapshot()
    {
        DamageTheSharedBlock();
        var rebuild = TimeTravelCli.Run(_store, "index", "rebuild");
        Assert.True(rebuild.ExitCode == 3, rebuild.ToString());
        Assert.Contains("damaged bytes at offset", rebuild.Stderr);
        Assert.Contains("not in the index", rebuild.Stdout);

        var verify = TimeTravelCli.Run(_store, "verify", "--read-data");
        Assert.True(verify.ExitCode == 1, verify.ToString());
        foreach (var snapshot in new[] { "2026-01-01_1000", "2026-01-02_1000" })
            foreach (var user in _users)
                Assert.Contains($"snapshot {snapshot}: {user} uses damaged block", verify.Stderr);
        Assert.Contains("missing from the index", verify.Stderr);
        Assert.DoesNotContain("other.bin", verify.Stderr);
    }

    [Fact]
    public void VerifyJsonListsEachProblemWithItsSnapshotPathAndBlock()
    {
        DamageTheSharedBlock();
        var r = TimeTravelCli.Run(_store, "verify", "--read-data", "--json");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("", r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(2, json.GetProperty("snapshots").GetInt64());
        var problems = json.GetProperty("problems").EnumerateArray().ToList();
        var uses = problems.Where(p => p.TryGetProperty("path", out _)).ToList();
        Assert.Equal(2 * _users.Length, uses.Count);
        Assert.All(uses, p => Assert.Contains(p.GetProperty("path").GetString(), _users));
        Assert.Single(uses.Select(p => p.GetProperty("block").GetString()).Distinct());
        Assert.Contains(problems, p => p.GetProperty("message").GetString()!.Contains("fails its checksum"));
    }

    [Fact]
    public void IntactStoreGivesOkJsonAndRebuildExits0()
    {
        var v = TimeTravelCli.Run(_store, "verify", "--json");
        Assert.True(v.ExitCode == 0, v.ToString());
        var json = JsonDocument.Parse(v.Stdout).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(0, json.GetProperty("problems").GetArrayLength());
        var rebuild = TimeTravelCli.Run(_store, "index", "rebuild", "--json");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.True(JsonDocument.Parse(rebuild.Stdout).RootElement.GetProperty("ok").GetBoolean());
    }
}
