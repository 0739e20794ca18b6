// The packages a post snapshot notes, read from dpkg's log lines appended since the pre checkpoint.
using TimeTravel.Cli.Apt;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

public sealed class DpkgLogTests : IDisposable
{
    private readonly TempDir _dir = new("tt-dpkglog");
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("2026-12-03 15:00:01 install hello:all <none> 2.10-3", "install hello:all 2.10-3")]
    [InlineData("2026-12-03 15:00:01 upgrade libc6:amd64 2.36-9 2.36-10", "upgrade libc6:amd64 2.36-9 -> 2.36-10")]
    [InlineData("2026-12-03 15:00:01 upgrade vim:amd64 9.0 9.0", "reinstall vim:amd64 9.0")]
    [InlineData("2026-12-03 15:00:01 remove foo:amd64 2.0 <none>", "remove foo:amd64 2.0")]
    [InlineData("2026-12-03 15:00:01 purge foo:amd64 2.0 <none>", "purge foo:amd64 2.0")]
    [InlineData("2026-12-03 15:00:01 status installed hello:all 2.10-3", null)]
    [InlineData("2026-12-03 15:00:01 configure hello:all 2.10-3 <none>", null)]
    [InlineData("2026-12-03 15:00:01 startup archives unpack", null)]
    [InlineData("garbage", null)]
    public void ALogLineIsAnActionOrNothing(string line, string? action)
    {
        Assert.Equal(action, DpkgLog.Action(line));
    }

    [Fact]
    public void OnlyTheLinesAfterTheNotedEndAreRead()
    {
        string log = _dir["dpkg.log"];
        File.WriteAllText(log, "2026-12-03 14:00:00 install old:all <none> 1\n");
        long end = DpkgLog.End(log);
        File.AppendAllText(log, "2026-12-03 15:00:00 install new:all <none> 2\n2026-12-03 15:00:00 status installed new:all 2\n2026-12-03 15:00:01 remove gone:all 3 <none>\n");
        Assert.Equal(["install new:all 2", "remove gone:all 3"], DpkgLog.ActionsSince(log, end));
        // A log rotated since (shorter than the noted end) is read from its start.
        File.WriteAllText(log, "2026-12-03 16:00:00 install n:all <none> 4\n");
        Assert.Equal(["install n:all 4"], DpkgLog.ActionsSince(log, end));
        Assert.Empty(DpkgLog.ActionsSince(_dir["missing.log"], 0));
    }

    [Fact]
    public void ALongTransactionsNoteIsCut()
    {
        var actions = Enumerable.Range(1, 35).Select(i => $"install p{i}:all 1").ToList();
        string note = DpkgLog.Note(actions);
        Assert.StartsWith("install p1:all 1; install p2:all 1", note);
        Assert.EndsWith("install p30:all 1; and 5 more", note);
        Assert.Equal("no package changed", DpkgLog.Note([]));
    }
}
