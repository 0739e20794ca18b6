// `timetravel index rebuild` after the index directory was deleted.
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class IndexCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-clindex");
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RebuildAfterDeletingTheIndexRestoresEveryLookup()
    {
        string src = _dir["src"], store = _dir["store"];
        var files = SourceFiles.RandomTree(src, 3 << 20, 500_000, seed: 4);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot").ExitCode);
        List<TimeTravel.Store.Index.IndexEntry> before;
        using (var repo = Repository.OpenReader(store)) before = repo.Blocks.Index.CommittedEntries().ToList();

        Directory.Delete(Path.Combine(store, "index"), recursive: true);
        var broken = TimeTravelCli.Run(store, "cat", "latest", files[0]);
        Assert.Equal(1, broken.ExitCode);

        var rebuild = TimeTravelCli.Run(store, "index", "rebuild");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.Contains($"{before.Count} blocks", rebuild.Stdout);
        using (var repo = Repository.OpenReader(store)) Assert.Equal(before, repo.Blocks.Index.CommittedEntries().ToList());
        var cat = TimeTravelCli.Run(store, "cat", "latest", files[^1]);
        Assert.Equal(File.ReadAllBytes(files[^1]), cat.StdoutBytes);
        Assert.Equal(0, TimeTravelCli.Run(store, "verify", "--read-data").ExitCode);
    }

    // kill -9 at several points of a real rebuild (1 MiB arenas, so it spends its time in many of them): every read of
    // the snapshot still works, through the old index until the new one replaces it, and the next rebuild finishes.
    [Fact]
    public void RebuildKilledAtAnyPointLeavesAWorkingIndex()
    {
        string src = _dir["src"], store = _dir["store"];
        var files = SourceFiles.RandomTree(src, 24 << 20, 300_000, seed: 5);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", "--arena-size", (1 << 20).ToString(), src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot").ExitCode);
        string lockOwner = Path.Combine(store, "lock.owner");
        foreach (int delayMs in new[] { 0, 5, 15, 30, 50, 80, 120, 180, 260 })
        {
            using (var rebuild = TimeTravelCli.Start(store, "index", "rebuild"))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!(File.Exists(lockOwner) && File.ReadAllText(lockOwner).StartsWith($"pid {rebuild.Pid} ")) && !rebuild.HasExited
                       && clock.ElapsedMilliseconds < 20_000)
                    Thread.Sleep(1);
                Thread.Sleep(delayMs);
                rebuild.Kill9();
                try { rebuild.Wait(); } catch (TimeoutException) { }
            }
            foreach (var f in new[] { files[0], files[files.Count / 2], files[^1] })
            {
                var cat = TimeTravelCli.Run(store, "cat", "latest", f);
                Assert.True(cat.ExitCode == 0, $"after a rebuild killed {delayMs} ms in: {cat}");
                Assert.Equal(File.ReadAllBytes(f), cat.StdoutBytes);
            }
        }
        var done = TimeTravelCli.Run(store, "index", "rebuild");
        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.Equal(["manifest"], Directory.GetFiles(Path.Combine(store, "index")).Select(Path.GetFileName)
            .Where(n => !n!.EndsWith(".tti")));
        var verify = TimeTravelCli.Run(store, "verify", "--read-data");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
