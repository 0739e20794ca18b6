// Progress is drawn on a terminal only: nothing when standard error is a pipe (even with TERM set), a counter on a
// first snapshot (no total to measure against), a bar with a percentage once a previous snapshot gives the total.
using System.Diagnostics;
using System.Text.RegularExpressions;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class ProgressTests : IDisposable
{
    private readonly TempDir _dir = new("tt-progress");
    private readonly string _src, _store;

    public ProgressTests()
    {
        _src = _dir["src"];
        _store = _dir["store"];
        SourceFiles.RandomTree(_src, 2 << 20, 256 << 10, seed: 12);
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
    }

    public void Dispose() => _dir.Dispose();

    private static ProcessStartInfo Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "xterm";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("TIMETRAVEL_STORE");
        return psi;
    }

    private static (int Code, string Out, string Err) Run(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000));
        return (p.ExitCode, output, err.Result);
    }

    private string[] Cli(params string[] args) => [.. TimeTravelCli.Command[1..], "--store", _store, .. args];

    /// <summary>Runs timetravel on a pseudo-terminal (script(1)) and returns everything it drew there.</summary>
    private (int Code, string Screen) OnTerminal(params string[] args)
    {
        string command = string.Join(' ', new[] { TimeTravelCli.Command[0] }.Concat(Cli(args)).Select(a => $"'{a}'"));
        var (code, output, _) = Run(Start("script", ["-qec", command, "/dev/null"]));
        return (code, output);
    }

    // The progress frames: what is drawn between a carriage return and the clear-to-end-of-line after it.
    private static List<string> Frames(string screen) =>
        Regex.Matches(screen, "\r([^\r\n\x1b]+)\x1b\\[K").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void NothingIsDrawnWhenStandardErrorIsNotATerminal()
    {
        var (code, output, err) = Run(Start(TimeTravelCli.Command[0], Cli("snapshot")));
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        Assert.DoesNotContain("\x1b", output);
        var verify = Run(Start(TimeTravelCli.Command[0], Cli("verify", "--read-data")));
        Assert.Equal(0, verify.Code);
        Assert.Equal("", verify.Err);
        var rebuild = Run(Start(TimeTravelCli.Command[0], Cli("index", "rebuild")));
        Assert.Equal(0, rebuild.Code);
        Assert.Equal("", rebuild.Err);
    }

    [Fact]
    public void FirstSnapshotShowsCountersThenABarOnceTheTotalIsKnown()
    {
        if (!Shell.Exists("script")) throw new InvalidOperationException("script(1) from util-linux is needed");
        var first = OnTerminal("snapshot");
        Assert.True(first.Code == 0, first.Screen);
        var frames = Frames(first.Screen);
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.StartsWith("snapshot", f));
        Assert.All(frames, f => Assert.DoesNotContain("%", f));
        Assert.Contains(frames, f => f.Contains("files") && f.Contains("/s"));

        var second = OnTerminal("snapshot", "--reread");
        Assert.True(second.Code == 0, second.Screen);
        Assert.Contains(Frames(second.Screen), f => Regex.IsMatch(f, @"^snapshot \[[#-]+\] +\d+%"));

        var verify = OnTerminal("verify", "--read-data");
        Assert.True(verify.Code == 0, verify.Screen);
        Assert.Contains(Frames(verify.Screen), f => f.StartsWith("verify"));
        var rebuild = OnTerminal("index", "rebuild");
        Assert.True(rebuild.Code == 0, rebuild.Screen);
        Assert.Contains(Frames(rebuild.Screen), f => f.StartsWith("index rebuild"));
    }
}
