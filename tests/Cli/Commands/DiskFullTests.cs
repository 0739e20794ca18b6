// A store on a full filesystem (an 8 MiB tmpfs): the snapshot fails cleanly and earlier ones survive.
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsFuse]
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDir _dir = new("tt-full");
    private readonly string _mount;
    private bool _mounted;

    public DiskFullTests()
    {
        try
        {
            _mount = _dir["mnt"];
            Directory.CreateDirectory(_mount);
            Shell.Run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", _mount);
            _mounted = true;
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose()
    {
        if (_mounted)
        {
            var (code, _, _) = Shell.Try("umount", _mount);
            if (code != 0) Shell.Try("umount", "-l", _mount);
        }
        _dir.Dispose();
    }

    [Fact]
    public void FullDiskFailsTheSnapshotNamingItAndKeepsEarlierSnapshots()
    {
        string src = _dir["src"], store = Path.Combine(_mount, "store");
        var small = SourceFiles.RandomTree(Path.Combine(src, "small"), 2 << 20, 256 << 10, seed: 31);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        var ok = TimeTravelCli.Run(store, "snapshot");
        Assert.True(ok.ExitCode == 0, ok.ToString());

        SourceFiles.RandomTree(Path.Combine(src, "large"), 40 << 20, 4 << 20, seed: 32);
        var full = TimeTravelCli.Run(store, "snapshot");
        Assert.True(full.ExitCode == 1, full.ToString());
        Assert.Matches("(?i)no space|disk full", full.Stderr);
        Assert.Contains(store, full.Stderr);
        Assert.DoesNotContain("internal error", full.Stderr);

        var list = TimeTravelCli.Run(store, "list", "--json");
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength());
        var verify = TimeTravelCli.Run(store, "verify", "--read-data");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using (var repo = Repository.OpenReader(store))
        {
            var snap = repo.FindSnapshot("latest");
            foreach (var f in small)
            {
                var node = repo.Trees.Resolve(snap.Root, PathBytes.Components(PathBytes.From(f)))!;
                Assert.Equal(File.ReadAllBytes(f), repo.Trees.Streams.ReadAll(node.Content));
            }
        }
        var cat = TimeTravelCli.Run(store, "cat", "latest", small[^1]);
        Assert.Equal(File.ReadAllBytes(small[^1]), cat.StdoutBytes);
    }
}
