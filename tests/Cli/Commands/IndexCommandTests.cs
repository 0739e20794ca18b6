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
}
