// Runs a program with argv bytes of the test's choosing, including bytes that are not UTF-8 (a name typed with tab
// completion). .NET's ProcessStartInfo can only pass text, so bash does it: every word is written as $'\xHH...'.
using System.Diagnostics;
using System.Text;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Cli.Support;

public static class RawArgv
{
    /// <summary>Runs `program args...` (program words as text, args as bytes) from `workingDirectory`, environment as the CLI helpers set it.</summary>
    public static CliResult Run(IEnumerable<string> program, IEnumerable<byte[]> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = new StringBuilder("exec");
        foreach (var word in program.Select(PathBytes.From).Concat(args)) script.Append(' ').Append(Word(word));
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script.ToString());
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.Environment.Remove("TIMETRAVEL_STORE");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "dumb";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = Task.Run(() => { var m = new MemoryStream(); p.StandardOutput.BaseStream.CopyTo(m); return m.ToArray(); });
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { TimeTravelCli.Signal(p.Id, "KILL"); throw new TimeoutException($"{script} did not finish"); }
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A shell word that bash turns into exactly these bytes.</summary>
    public static string Word(byte[] bytes) => "$'" + string.Concat(bytes.Select(b => $"\\x{b:x2}")) + "'";

    /// <summary>`timetravel --store STORE args...` with args as bytes.</summary>
    public static CliResult TimeTravelBytes(string store, string? workingDirectory, params byte[][] args) =>
        Run(TimeTravelCli.Command, [PathBytes.From("--store"), PathBytes.From(store), .. args], workingDirectory);

    /// <summary>Text arguments as bytes, for mixing with raw names.</summary>
    public static byte[] B(string text) => PathBytes.From(text);
}
