// Paths longer than PATH_MAX (4096 bytes) are backed up like any other: the walk opens each directory from its
// parent's descriptor. Regression: the walk stopped where the path grew too long, and stored that directory as an
// ordinary empty one. Restoring such a path, which goes by whole paths, fails with an error naming it.
using System.Diagnostics;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class LongPathTests : IDisposable
{
    private const int Levels = 30;
    private static readonly string Name = new('d', 200);
    private readonly TempDir _dir = new("tt-longpath");

    public void Dispose() => _dir.Dispose();

    // src/ddd.../ddd.../.../file.txt: 30 directories of 200-byte names, over 6000 bytes of path.
    private string MakeDeepTree(string src)
    {
        Directory.CreateDirectory(src);
        var psi = new ProcessStartInfo("bash", ["-c", $"cd \"$1\" && for i in $(seq {Levels}); do mkdir {Name} && cd {Name} || exit 1; done && printf deep > file.txt", "-", src])
            { RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return src + string.Concat(Enumerable.Repeat("/" + Name, Levels)) + "/file.txt";
    }

    [Fact]
    public void AFileBelowAPathLongerThanPathMaxIsBackedUpAndTheSnapshotIsComplete()
    {
        string src = _dir["src"], store = _dir["store"];
        string deep = MakeDeepTree(src);
        Assert.True(deep.Length > 6000);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        var snapshot = TimeTravelCli.Run(store, "snapshot");
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());

        var cat = TimeTravelCli.Run(store, "cat", "latest", deep);
        Assert.True(cat.ExitCode == 0, cat.ToString());
        Assert.Equal("deep", cat.Stdout);
    }

    [Fact]
    public void RestoringAPathLongerThanPathMaxSaysWhichPathCouldNotBeRestored()
    {
        string src = _dir["src"], store = _dir["store"];
        string deep = MakeDeepTree(src);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot").ExitCode);

        var restore = TimeTravelCli.Run(store, "restore", "latest", src, "--to", _dir["restored"]);
        Assert.True(restore.ExitCode == 3, restore.ToString());
        Assert.Contains("File name too long", restore.Stderr);
        Assert.Contains(Name + "/" + Name, restore.Stderr);
    }
}
