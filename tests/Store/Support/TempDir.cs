// A scratch directory under /tmp, removed with everything in it (odd modes, non-UTF-8 names) when the test ends.
using System.Diagnostics;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Store.Support;

public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string tag = "tt")
    {
        Path = System.IO.Path.Combine("/tmp", $"{tag}-{Guid.NewGuid():N}"[..(tag.Length + 13)]);
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ED); // 0755: other users (nobody) may traverse it
    }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public byte[] Bytes(string relative) => PathBytes.From(this[relative]);

    public void Dispose()
    {
        // rm copes with names .NET cannot turn into strings; a mount left behind is never deleted through.
        using var p = Process.Start(new ProcessStartInfo("rm", ["-rf", "--one-file-system", Path]) { RedirectStandardError = true })!;
        p.WaitForExit();
    }
}
