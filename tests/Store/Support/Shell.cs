// Runs a system tool (setfacl, setfattr, mount) and fails the test with its stderr when it fails.
using System.Diagnostics;

namespace TimeTravel.Tests.Store.Support;

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

    public static bool Exists(string tool) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(System.IO.Path.Combine(d, tool)));
}
