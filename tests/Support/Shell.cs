// Runs a system tool (setfacl, setfattr, mkfs, mount) for test setup, and fails the test with its stderr when it
// fails. Bash() is for what .NET cannot express directly (non-UTF-8 names in $'...', pipelines).
using System.Diagnostics;

namespace TimeTravel.Tests;

public static class Shell
{
    public static (int Code, string Out, string Err) Try(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    public static string Run(string file, params string[] args)
    {
        var (code, output, err) = Try(file, args);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {err}");
        return output;
    }

    /// <summary>bash -c COMMAND; throws with its output when it fails.</summary>
    public static void Bash(string command)
    {
        var (code, output, err) = Try("/bin/bash", "-c", command);
        if (code != 0) throw new InvalidOperationException($"`{command}` exited {code}: {output}{err}");
    }

    public static bool TryBash(string command) => Try("/bin/bash", "-c", command).Code == 0;

    public static bool Exists(string tool) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(System.IO.Path.Combine(d, tool)));
}
