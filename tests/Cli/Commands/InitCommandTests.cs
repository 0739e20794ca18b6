// `timetravel init` records a source by its real path: a snapshot never follows symlinks, so a source given through
// one would otherwise back up the link and nothing else.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class InitCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-init");
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SourceGivenThroughASymlinkIsRecordedByItsRealPathAndItsFilesAreBackedUp()
    {
        string real = _dir["data/home"], link = _dir["home"], store = _dir["store"];
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "notes.txt"), "kept\n");
        File.CreateSymbolicLink(link, real);

        var init = TimeTravelCli.Run(store, "init", link + "/");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains($"source {real} recorded", init.Stdout);
        Assert.Contains($"{link} is reached through a symlink; recording its real path {real}", init.Stderr);

        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot").ExitCode);
        var snap = JsonDocument.Parse(TimeTravelCli.Run(store, "list", "--json").Stdout).RootElement[0];
        Assert.Equal(real, snap.GetProperty("sources")[0].GetString());
        Assert.Equal(1, snap.GetProperty("files").GetInt64());
        Assert.Equal("kept\n", TimeTravelCli.Run(store, "cat", "latest", Path.Combine(real, "notes.txt")).Stdout);
    }

    [Fact]
    public void SymlinkInTheMiddleOfTheSourcePathIsResolvedToo()
    {
        string real = _dir["disk/srv"], store = _dir["store"];
        Directory.CreateDirectory(Path.Combine(real, "www"));
        File.CreateSymbolicLink(_dir["srv"], real);
        var init = TimeTravelCli.Run(store, "init", Path.Combine(_dir["srv"], "www"));
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains($"source {Path.Combine(real, "www")} recorded", init.Stdout);
    }

    [Fact]
    public void SymlinkToAFileOrToNothingIsRefused()
    {
        string store = _dir["store"];
        File.WriteAllText(_dir["file"], "x");
        File.CreateSymbolicLink(_dir["to-file"], _dir["file"]);
        File.CreateSymbolicLink(_dir["dangling"], _dir["nowhere"]);
        foreach (var source in new[] { _dir["to-file"], _dir["dangling"] })
        {
            var r = TimeTravelCli.Run(store, "init", source);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"{source}: source does not exist or is not a directory", r.Stderr);
        }
    }
}
