// Bad stores on the command line: missing, foreign, newer format; each named, exit status 1.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class StoreErrorTests : IDisposable
{
    private readonly TempDir _dir = new("tt-clierr");
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("list")]
    [InlineData("snapshot")]
    [InlineData("verify")]
    [InlineData("stats")]
    public void MissingStoreIsNamedWithExitStatus1(string command)
    {
        string store = _dir["no-such-store"];
        var r = TimeTravelCli.Run(store, command);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(store, r.Stderr);
        Assert.Contains("timetravel init", r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public void DirectoryThatIsNotAStoreIsNamed()
    {
        Directory.CreateDirectory(_dir["plain"]);
        var r = TimeTravelCli.Run(_dir["plain"], "list");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(_dir["plain"] + ": not a TimeTravel store", r.Stderr);
        File.WriteAllText(_dir["plain/x"], "x");
        var init = TimeTravelCli.Run(_dir["plain"], "init");
        Assert.Equal(1, init.ExitCode);
        Assert.Contains("not empty", init.Stderr);
    }

    [Fact]
    public void ConfigOfANewerFormatVersionIsRefused()
    {
        string store = _dir["store"];
        Assert.Equal(0, TimeTravelCli.Run(store, "init").ExitCode);
        string config = Path.Combine(store, "config");
        var lines = File.ReadAllLines(config);
        Assert.Equal("timetravel-store 4", lines[0]);
        lines[0] = "timetravel-store 5";
        File.WriteAllLines(config, lines);
        foreach (var cmd in new[] { "list", "snapshot" })
        {
            var r = TimeTravelCli.Run(store, cmd);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains(config, r.Stderr);
            Assert.Contains("version 5 is newer", r.Stderr);
        }
    }

    [Fact]
    public void UnknownSnapshotIsNamed()
    {
        string store = _dir["store"];
        Assert.Equal(0, TimeTravelCli.Run(store, "init").ExitCode);
        var r = TimeTravelCli.Run(store, "ls", "latest");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no snapshots yet", r.Stderr);
    }
}
