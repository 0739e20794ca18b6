// `timetravel checkpoint` end to end: it pins a snapshot and prints its name (or the snapshot as `list --json` does),
// and `--run` checkpoints, runs the command, snapshots after it (a pair `list` shows), shows what changed, keeps or
// rolls back, and exits with the command's status.
using System.Text.Json;
using TimeTravel.Cli.Checkpoints;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

public sealed class CheckpointCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-checkpoint");
    private readonly string _src, _store;

    public CheckpointCommandTests()
    {
        _src = _dir["src"];
        _store = _dir["store"];
        Directory.CreateDirectory(_src);
        File.WriteAllText(Path.Combine(_src, "kept.txt"), "before\n");
        File.WriteAllText(Path.Combine(_src, "doomed.txt"), "to be removed\n");
        Ok(TimeTravelCli.Run(_store, "init", _src));
    }

    public void Dispose() => _dir.Dispose();

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private List<JsonElement> List() =>
        JsonDocument.Parse(Ok(TimeTravelCli.Run(_store, "list", "--json")).Stdout).RootElement.EnumerateArray().ToList();

    [Fact]
    public void ACheckpointIsPinnedWithItsNoteAndPrintsItsName()
    {
        string name = Ok(TimeTravelCli.Run(_store, "checkpoint", "--note", "before the upgrade")).Stdout.Trim();
        var s = Assert.Single(List());
        Assert.Equal(name, s.GetProperty("name").GetString());
        Assert.True(s.GetProperty("pinned").GetBoolean());
        Assert.Equal("before the upgrade", s.GetProperty("pin").GetProperty("note").GetString());
        Assert.Equal("before the upgrade", s.GetProperty("note").GetString());
        Assert.EndsWith("pinned: before the upgrade", Ok(TimeTravelCli.Run(_store, "list")).Stdout.Split('\n').Single(l => l.StartsWith(name)));
        // Pinned: forget by name refuses it.
        Assert.Equal(1, TimeTravelCli.Run(_store, "forget", name).ExitCode);
    }

    [Fact]
    public void ACheckpointInJsonIsTheSnapshotAsListPrintsIt()
    {
        var r = Ok(TimeTravelCli.Run(_store, "checkpoint", "--json"));
        var printed = JsonDocument.Parse(r.Stdout).RootElement;
        var listed = Assert.Single(List());
        Assert.Equal(listed.GetProperty("id").GetInt64(), printed.GetProperty("id").GetInt64());
        Assert.True(printed.GetProperty("pinned").GetBoolean());
        Assert.Equal(JsonValueKind.Null, printed.GetProperty("note").ValueKind);
        Assert.Equal(listed.GetProperty("root").GetString(), printed.GetProperty("root").GetString());
    }

    [Fact]
    public void RunKeepsASuccessfulCommandsChangesShowsThemAndListsThePair()
    {
        var r = TimeTravelCli.Run(_store, "checkpoint", "--run", "--keep-if-success", "--",
            "sh", "-c", $"echo new > {_src}/added.txt && rm {_src}/doomed.txt && echo after > {_src}/kept.txt");
        Ok(r);
        Assert.Contains("changes between", r.Stdout);
        Assert.Contains("1 added, 1 removed, 1 changed", r.Stdout);
        Assert.Contains($"added    {_src}/added.txt", r.Stdout);
        Assert.Contains($"removed  {_src}/doomed.txt", r.Stdout);
        Assert.Contains("keeping: the command succeeded (--keep-if-success)", r.Stdout);
        Assert.Equal("after\n", File.ReadAllText(Path.Combine(_src, "kept.txt")));

        var snaps = List();
        Assert.Equal(2, snaps.Count);
        var (pre, post) = (snaps[0], snaps[1]);
        Assert.True(pre.GetProperty("pinned").GetBoolean());
        Assert.StartsWith("run: sh -c echo new", pre.GetProperty("note").GetString());
        Assert.Equal(pre.GetProperty("id").GetInt64(), post.GetProperty("pre").GetProperty("id").GetInt64());
        Assert.Equal(pre.GetProperty("name").GetString(), post.GetProperty("pre").GetProperty("name").GetString());
        Assert.StartsWith("after (status 0): sh -c", post.GetProperty("note").GetString());
        string postLine = Ok(TimeTravelCli.Run(_store, "list")).Stdout.Split('\n').Single(l => l.StartsWith(post.GetProperty("name").GetString()!) && !l.Contains("pinned"));
        Assert.Contains($"post of {pre.GetProperty("name").GetString()}: after (status 0): sh -c", postLine);
    }

    [Fact]
    public void RunWithoutATerminalOrFlagKeepsSaysSoAndExitsWithTheCommandsStatus()
    {
        var r = TimeTravelCli.Run(_store, "checkpoint", "--run", "--note", "trying", "--", "sh", "-c", $"echo x > {_src}/x.txt; exit 5");
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains("no terminal to ask on; kept", r.Stdout);
        Assert.True(File.Exists(Path.Combine(_src, "x.txt")));
        Assert.Equal("trying", List()[0].GetProperty("pin").GetProperty("note").GetString());
    }

    [Fact]
    public void RunOfACommandThatCannotStartExits127AndKeepsTheCheckpoint()
    {
        var r = TimeTravelCli.Run(_store, "checkpoint", "--run", "--", _dir["no-such-program"]);
        Assert.True(r.ExitCode == TryRun.NotStarted, r.ToString());
        Assert.Contains("cannot run", r.Stderr);
        Assert.Contains("no changes between", r.Stdout);
        Assert.True(List()[0].GetProperty("pinned").GetBoolean());
    }

    [Theory]
    [InlineData(new[] { "--run" }, "no command to run")]
    [InlineData(new[] { "--", "true" }, "needs --run")]
    [InlineData(new[] { "--keep-if-success" }, "decide after a command run by --run")]
    [InlineData(new[] { "--json", "--run", "--", "true" }, "does not go with --run")]
    public void MisusedOptionsAreRefusedBeforeAnythingIsTaken(string[] args, string message)
    {
        var r = TimeTravelCli.Run(_store, ["checkpoint", .. args]);
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Contains(message, r.Stderr);
        Assert.Empty(List());
    }

    // Runs `timetravel --store STORE ARGS...` on a pseudo-terminal (script(1)), typing `input`; its exit status and what the terminal showed.
    private (int Status, string Screen) OnATerminal(string input, params string[] args)
    {
        string line = string.Join(' ', TimeTravelCli.Command.Concat(["--store", _store]).Concat(args).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        var psi = new System.Diagnostics.ProcessStartInfo("script", ["-qec", line, "/dev/null"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["TERM"] = "dumb";
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardInput.Write(input); // typed ahead: the question reads it when it comes
        p.StandardInput.Flush();
        var screen = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException(line); }
        p.StandardInput.Close();
        return (p.ExitCode, screen.Result);
    }

    [Fact]
    public void OnATerminalItAsksUntilTheAnswerIsKeepOrRollBack()
    {
        var (status, screen) = OnATerminal("maybe\nk\n", "checkpoint", "--run", "--", "sh", "-c", $"echo x > {_src}/x.txt; exit 2");
        Assert.True(status == 2, screen);
        Assert.Equal(2, screen.Split("keep or roll back? [k/r]").Length - 1);
        Assert.Contains("kept the changes;", screen);
        Assert.True(File.Exists(Path.Combine(_src, "x.txt")));
    }

    [Fact]
    public void RollbackOnFailureStillAsksAfterASuccessOnATerminal()
    {
        var (status, screen) = OnATerminal("k\n", "checkpoint", "--run", "--rollback-on-failure", "--", "true");
        Assert.True(status == 0, screen);
        Assert.Contains("keep or roll back? [k/r]", screen);
        var (keepStatus, keepScreen) = OnATerminal("", "checkpoint", "--run", "--keep-if-success", "--", "true");
        Assert.True(keepStatus == 0, keepScreen);
        Assert.DoesNotContain("keep or roll back?", keepScreen);
    }

    [Fact]
    public void RunRollsBackAFailedCommandWithKeepIfSuccess()
    {
        Assert.True(RollbackCall.Available, "this timetravel has no `rollback` command");
        var r = TimeTravelCli.Run(_store, "checkpoint", "--run", "--keep-if-success", "--",
            "sh", "-c", $"echo new > {_src}/added.txt; rm {_src}/doomed.txt; echo after > {_src}/kept.txt; exit 4");
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains("rolling back: the command failed with status 4 (--keep-if-success)", r.Stdout);
        Assert.False(File.Exists(Path.Combine(_src, "added.txt")));
        Assert.Equal("to be removed\n", File.ReadAllText(Path.Combine(_src, "doomed.txt")));
        Assert.Equal("before\n", File.ReadAllText(Path.Combine(_src, "kept.txt")));
    }
}
