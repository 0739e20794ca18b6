// Runs `yesterday` as a child process: the published NativeAOT binary users run (YESTERDAY_AOT, set by
// run-tests.sh) or else the JIT build beside the tests (dotnet yesterday.dll), from a given directory, optionally as
// another user (setpriv) and with extra environment.
using System.Diagnostics;
using System.Text;
using TimeTravel.Tests.Cli.Support;

namespace TimeTravel.Tests.Cli.Yesterday;

public sealed record YesterdayRunner(string Store, string WorkingDirectory)
{
    /// <summary>The native executable to run instead of `dotnet yesterday.dll` (default: $YESTERDAY_AOT when set).</summary>
    public string? Native { get; init; } = System.Environment.GetEnvironmentVariable("YESTERDAY_AOT") is { Length: > 0 } aot ? aot : null;
    /// <summary>A uid to run as (through setpriv, with no groups).</summary>
    public string? AsUser { get; init; }
    public Dictionary<string, string> Environment { get; init; } = [];

    /// <summary>Runs it with argv bytes as given (names that are not UTF-8), through RawArgv; not as another user.</summary>
    public CliResult RunBytes(params byte[][] args)
    {
        string[] program = Native is not null ? [Native] : ["dotnet", Path.Combine(AppContext.BaseDirectory, "yesterday.dll")];
        return RawArgv.Run(program, [RawArgv.B("--store"), RawArgv.B(Store), .. args], WorkingDirectory, Environment);
    }

    public CliResult Run(params string[] args)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = WorkingDirectory };
        var command = new List<string>();
        if (AsUser is not null) command.AddRange(["setpriv", $"--reuid={AsUser}", $"--regid={AsUser}", "--clear-groups"]);
        if (Native is not null) command.Add(Native);
        else command.AddRange(["dotnet", Path.Combine(AppContext.BaseDirectory, "yesterday.dll")]);
        command.AddRange(["--store", Store]);
        command.AddRange(args);
        psi.FileName = command[0];
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("TIMETRAVEL_STORE");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        if (AsUser is not null) psi.Environment["HOME"] = "/tmp";
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = Task.Run(() => { var m = new MemoryStream(); p.StandardOutput.BaseStream.CopyTo(m); return m.ToArray(); });
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"yesterday {string.Join(' ', args)} did not finish"); }
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
