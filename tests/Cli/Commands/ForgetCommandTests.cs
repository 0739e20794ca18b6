// `timetravel forget`: removes snapshots from the catalog by exact name or id, a dry run changes nothing, the last
// snapshot goes only with --force, and the blocks stay (the store does not shrink; verify notes why).
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class ForgetCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-forget");
    private readonly string _store;

    public ForgetCommandTests()
    {
        try
        {
            string src = _dir["src"];
            _store = _dir["store"];
            Directory.CreateDirectory(src);
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", src).ExitCode);
            for (int day = 1; day <= 3; day++)
            {
                File.WriteAllBytes(Path.Combine(src, $"day{day}.bin"), SourceFiles.Random(50_000, day));
                Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", $"2026-01-0{day}T10:00:00+00:00").ExitCode);
            }
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private List<string> Names() =>
        JsonDocument.Parse(TimeTravelCli.Run(_store, "list", "--json").Stdout).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToList();

    private long StoredBytes() =>
        JsonDocument.Parse(TimeTravelCli.Run(_store, "stats", "--json").Stdout).RootElement.GetProperty("storedBytes").GetInt64();

    [Fact]
    public void DryRunSaysWhatWouldGoAndChangesNothing()
    {
        var r = TimeTravelCli.Run(_store, "forget", "--dry-run", "2026-01-01_1000");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("would forget 2026-01-01_1000", r.Stdout);
        Assert.Equal(["2026-01-01_1000", "2026-01-02_1000", "2026-01-03_1000"], Names());
    }

    [Fact]
    public void ForgetsByExactNameOrIdAndTheBlocksStay()
    {
        long stored = StoredBytes();
        var r = TimeTravelCli.Run(_store, "forget", "2026-01-01_1000", "2");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("forgot 2026-01-01_1000", r.Stdout);
        Assert.Contains("forgot 2026-01-02_1000", r.Stdout);
        Assert.Contains("blocks stay in the arenas", r.Stdout);
        Assert.Equal(["2026-01-03_1000"], Names());
        Assert.InRange(StoredBytes() - stored, 1, 1024); // nothing removed; the forget record itself is added
        Assert.Equal(0, TimeTravelCli.Run(_store, "verify", "--read-data").ExitCode);
    }

    [Fact]
    public void APrefixOrUnknownNameForgetsNothing()
    {
        foreach (var spec in new[] { "2026-01", "2026-01-09_1000" })
        {
            var r = TimeTravelCli.Run(_store, "forget", "2026-01-03_1000", spec);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"no snapshot '{spec}'", r.Stderr);
            Assert.Equal(3, Names().Count);
        }
    }

    [Fact]
    public void TheLastSnapshotsGoOnlyWithForceAndVerifyThenNotesTheForgottenBlocks()
    {
        var refused = TimeTravelCli.Run(_store, "forget", "1", "2", "latest");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Stderr);
        Assert.Equal(3, Names().Count);

        var r = TimeTravelCli.Run(_store, "forget", "--force", "--json", "1", "2", "latest");
        Assert.True(r.ExitCode == 0, r.ToString());
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.False(json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, json.GetProperty("forgotten").GetArrayLength());
        Assert.Equal(0, json.GetProperty("remaining").GetInt32());
        Assert.Empty(Names());

        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("3 forgotten", verify.Stderr);
    }

    // A forget of many snapshots killed with SIGKILL at many moments removes all of them or none: one transaction.
    [Fact]
    public void AKilledForgetRemovesEverySnapshotItNamedOrNone()
    {
        for (int i = 0; i < 27; i++)
            Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", $"2026-02-01T10:{i:D2}:00+00:00").ExitCode);
        var before = Names();
        Assert.Equal(30, before.Count);
        string lockOwner = Path.Combine(_store, "lock.owner");
        for (int delayMs = 0; delayMs <= 150; delayMs += 3)
        {
            using (var forget = TimeTravelCli.Start(_store, ["forget", .. before.Skip(1)]))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!(File.Exists(lockOwner) && File.ReadAllText(lockOwner).StartsWith($"pid {forget.Pid} ")) && !forget.HasExited
                       && clock.ElapsedMilliseconds < 20_000)
                    Thread.Sleep(1);
                Thread.Sleep(delayMs);
                forget.Kill9();
                try { forget.Wait(); } catch (TimeoutException) { }
            }
            var after = Names();
            Assert.True(after.Count == 30 || after.SequenceEqual(before.Take(1)),
                $"a forget killed {delayMs} ms in left {after.Count} of the 30 snapshots");
            if (after.Count == 1) break;
        }
    }
}
