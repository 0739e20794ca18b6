// Test helper: mounts a filesystem on a fresh temp dir and always unmounts it, plus a raw-bytes process runner.
using System.Diagnostics;
using TimeTravel.Fs.Fuse;

namespace TimeTravel.Tests.Fs;

internal sealed class TestMount : IDisposable
{
    public string Path { get; }
    public FuseMount Mount { get; }
    public List<(string Op, Exception Error)> CallbackErrors { get; } = [];

    public TestMount(ILowLevelFileSystem fs, bool readOnly = true)
    {
        Path = Directory.CreateTempSubdirectory("tt-fuse-").FullName;
        var options = new FuseMountOptions
        {
            ReadOnly = readOnly,
            FsName = "tt-test",
            Subtype = "timetravel",
            OnCallbackError = (op, e) => { lock (CallbackErrors) CallbackErrors.Add((op, e)); },
        };
        try
        {
            Mount = FuseMount.Mount(fs, Path, options); // a failure to mount fails the test: no skipping
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Mount.Unmount();
            if (!Mount.Wait(TimeSpan.FromSeconds(20)))
            {
                ForceUnmount(Path);
                if (!Mount.Wait(TimeSpan.FromSeconds(10)))
                    throw new TimeoutException($"the fuse loop for {Path} did not end; session leaked");
            }
            Mount.Dispose();
        }
        finally
        {
            if (IsMounted(Path)) ForceUnmount(Path);
            try { Directory.Delete(Path); } catch (IOException) { }
        }
    }

    public static bool IsMounted(string path) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);

    private static void ForceUnmount(string path)
    {
        Run("fusermount3", "-u", "-z", path);
        if (IsMounted(path)) Run("umount", "-l", path);
    }

    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Stdout);
    }

    // Runs a program; stdout is kept as bytes because file names need not be UTF-8.
    public static Result Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C"; // English error messages
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        var stdout = new MemoryStream();
        Task copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        copy.Wait();
        return new Result(p.ExitCode, stdout.ToArray(), stderr.Result);
    }
}
