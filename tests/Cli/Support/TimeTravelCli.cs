// Runs `timetravel` as a child process, so tests see real exit codes, real stderr and can kill it; optionally as
// another user through setpriv. The program is the one install.sh ships, the NativeAOT executable (run-tests.sh
// publishes it and passes its path in TIMETRAVEL_AOT), else `dotnet timetravel.dll` beside the test assembly.
using System.Diagnostics;
using System.Text;

namespace TimeTravel.Tests.Cli.Support;

public sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

public static class TimeTravelCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "timetravel.dll");

    /// <summary>The program and its leading arguments: [TIMETRAVEL_AOT] or ["dotnet", Dll].</summary>
    public static string[] Command =>
        Environment.GetEnvironmentVariable("TIMETRAVEL_AOT") is { Length: > 0 } aot ? [aot] : ["dotnet", Dll];

    /// <summary>Command as a shell word list, for scripts.</summary>
    public static string ShellCommand => string.Join(' ', Command.Select(a => "'" + a.Replace("'", "'\\''") + "'"));

    private static ProcessStartInfo Info(string store, string[] args, string? asUser)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var command = Command;
        if (asUser is not null)
        {
            psi.FileName = "setpriv";
            foreach (var a in new[] { $"--reuid={asUser}", $"--regid={asUser}", "--clear-groups", command[0] }) psi.ArgumentList.Add(a);
        }
        else psi.FileName = command[0];
        foreach (var a in command[1..]) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(store);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("TIMETRAVEL_STORE");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "dumb";
        if (asUser is not null) psi.Environment["HOME"] = "/tmp";
        return psi;
    }

    /// <summary>`kill -SIGNAL PID`, waited for: tests stop exactly the processes they started, by pid.</summary>
    public static void Signal(int pid, string signal)
    {
        using var k = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString() }, RedirectStandardError = true })!;
        k.WaitForExit();
    }

    /// <summary>A running command, with its output collected in the background.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _p;
        private readonly Task<byte[]> _out;
        private readonly Task<string> _err;
        internal Running(Process p)
        {
            _p = p;
            _p.StandardInput.Close();
            _out = Task.Run(() => { var m = new MemoryStream(); _p.StandardOutput.BaseStream.CopyTo(m); return m.ToArray(); });
            _err = _p.StandardError.ReadToEndAsync();
        }
        public int Pid => _p.Id;
        public bool HasExited => _p.HasExited;
        public void Kill9() => Signal("KILL");
        /// <summary>Sends a signal by pid (STOP and CONT hold a writer still at a point of the test's choosing).</summary>
        public void Signal(string name) { try { TimeTravelCli.Signal(_p.Id, name); } catch (InvalidOperationException) { } }
        public CliResult Wait(int timeoutMs = 120_000)
        {
            if (!_p.WaitForExit(timeoutMs)) { Kill9(); throw new TimeoutException($"timetravel {_p.StartInfo.ArgumentList.Last()} did not finish in {timeoutMs} ms"); }
            _p.WaitForExit();
            return new CliResult(_p.ExitCode, _out.Result, _err.Result);
        }
        public void Dispose()
        {
            if (!_p.HasExited) { Kill9(); _p.WaitForExit(10_000); }
            _p.Dispose();
        }
    }

    public static Running Start(string store, params string[] args) => new(Process.Start(Info(store, args, null))!);

    /// <summary>Start with these environment variables set for the child alone (never for the test process).</summary>
    public static Running StartWith(IReadOnlyDictionary<string, string> environment, string store, params string[] args)
    {
        var psi = Info(store, args, null);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        return new(Process.Start(psi)!);
    }

    public static CliResult Run(string store, params string[] args)
    {
        using var r = Start(store, args);
        return r.Wait();
    }

    /// <summary>Runs the program with exactly these arguments (no --store added: `umount`, or a test that places it).</summary>
    public static CliResult Exec(params string[] args)
    {
        var psi = ExactInfo(args);
        psi.RedirectStandardInput = true;
        using var r = new Running(Process.Start(psi)!);
        return r.Wait();
    }

    /// <summary>Starts the program with exactly these arguments; the caller reads its output and waits for it.</summary>
    public static Process Spawn(params string[] args) =>
        Process.Start(ExactInfo(args)) ?? throw new InvalidOperationException("cannot start timetravel");

    private static ProcessStartInfo ExactInfo(string[] args)
    {
        var psi = new ProcessStartInfo(Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in Command[1..]) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C"; // English error messages
        return psi;
    }

    public static CliResult RunAs(string user, string store, params string[] args)
    {
        using var r = new Running(Process.Start(Info(store, args, user))!);
        return r.Wait();
    }
}
