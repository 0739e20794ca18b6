// `timetravel verify --read-data` and `cat` on a store with one damaged arena byte.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class VerifyCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-verify");
    private readonly string _src, _store, _victim;
    private readonly byte[] _victimContent = SourceFiles.Random(300_000, 21);
    private string _snapshotName = "";
    private string _arena = "";
    private long _damagedAt;

    public VerifyCommandTests()
    {
        try
        {
            _src = _dir["src"];
            _store = _dir["store"];
            Directory.CreateDirectory(Path.Combine(_src, "sub"));
            _victim = Path.Combine(_src, "sub", "victim.bin");
            File.WriteAllBytes(_victim, _victimContent);
            File.WriteAllBytes(Path.Combine(_src, "other.bin"), SourceFiles.Random(100_000, 22));
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode);
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Flips one payload byte of the victim's second data block, in place in its arena.</summary>
    private void DamageTheVictim()
    {
        using (var repo = Repository.OpenReader(_store))
        {
            var snap = repo.FindSnapshot("latest");
            _snapshotName = snap.Name;
            (_arena, var loc) = Damage.Locate(repo, Damage.DataBlocksOf(repo, snap.Root, _victim)[1]);
            _damagedAt = loc.Offset + ArenaFormat.RecordHeaderSize + 1000;
        }
        Damage.FlipBits(_arena, _damagedAt);
    }

    [Fact]
    public void IntactStoreVerifies()
    {
        var r = TimeTravelCli.Run(_store, "verify", "--read-data");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("intact", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void DamagedArenaByteIsReportedWithTheSnapshotPathAndTheArena()
    {
        DamageTheVictim();
        var r = TimeTravelCli.Run(_store, "verify", "--read-data");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains(_arena, r.Stderr);
        Assert.Contains($"snapshot {_snapshotName}: {_victim} uses damaged block", r.Stderr);
        Assert.DoesNotContain("other.bin", r.Stderr);
        Assert.Contains("problems found", r.Stdout);
    }

    [Fact]
    public void CatOfADamagedFileFailsNamingTheArenaAndNeverPrintsWrongData()
    {
        DamageTheVictim();
        var r = TimeTravelCli.Run(_store, "cat", "latest", _victim);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(_arena, r.Stderr);
        Assert.True(r.StdoutBytes.Length < _victimContent.Length);
        Assert.True(_victimContent.AsSpan().StartsWith(r.StdoutBytes), "cat printed bytes the file never had");
        var other = TimeTravelCli.Run(_store, "cat", "latest", Path.Combine(_src, "other.bin"));
        Assert.Equal(0, other.ExitCode);
    }
}
