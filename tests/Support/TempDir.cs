// A scratch directory under /tmp, removed with everything in it (odd modes, non-UTF-8 names) when the test ends;
// Create() makes one whose removal the test arranges itself (Mounts.RemoveTree, after unmounting).
using System.Diagnostics;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests;

public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string tag = "tt")
    {
        Path = System.IO.Path.Combine("/tmp", $"{tag}-{Guid.NewGuid():N}"[..(tag.Length + 13)]);
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ED); // 0755: other users (nobody) may traverse it
    }

    /// <summary>A new empty directory named PREFIX-random under the temp directory, not removed by anyone but the caller.</summary>
    public static string Create(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public byte[] Bytes(string relative) => PathBytes.From(this[relative]);

    public void Dispose()
    {
        // rm copes with names .NET cannot turn into strings; a mount left behind is never deleted through.
        using var p = Process.Start(new ProcessStartInfo("rm", ["-rf", "--one-file-system", Path]) { RedirectStandardError = true })!;
        p.WaitForExit();
    }
}
