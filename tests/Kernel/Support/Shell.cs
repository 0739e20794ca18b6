// Runs a bash command line for test setup that .NET cannot express (non-UTF-8 names, mkfs, mount).
using System.Diagnostics;

namespace TimeTravel.Tests.Kernel.Support;

public static class Shell
{
    public static void Run(string command)
    {
        var (code, output) = Execute(command);
        if (code != 0) throw new InvalidOperationException($"`{command}` exited {code}: {output}");
    }

    public static bool TryRun(string command) => Execute(command).Code == 0;

    private static (int Code, string Output) Execute(string command)
    {
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
