// The host level of a real mount (issue 14): a store with only its own host's snapshots looks as it always did; once
// another host's snapshots are imported into the catalog, the mounted root shows one directory per host (the own host
// under its name) with each host's snapshots, day links and `latest`, without a remount, and files read through it.
// The hidden link .host names the own host's directory.
using TimeTravel.Store;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class HostLevelTests : IDisposable
{
    private const string Own = "2024-09-01_0800", Theirs = "2024-09-02_0900";
    private readonly SourceTree _source = SourceTree.Empty();
    private readonly string _store = TempDir.Create("tt-store-");

    public HostLevelTests()
    {
        try
        {
            File.WriteAllText(_source["hello.txt"], "hello from here\n");
            _source.Snapshot(_store, new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.Zero));
            using var repo = Repository.OpenWriter(_store, "test");
            repo.SetHostName("here");
        }
        catch { Dispose(); throw; }
    }

    public void Dispose()
    {
        _source.Dispose();
        Mounts.RemoveTree(_store);
    }

    private static string[] Ls(string dir)
    {
        var r = TestMount.Run("ls", "-1", dir);
        Assert.True(r.ExitCode == 0, $"ls {dir}: {r.Stderr}");
        return r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Cat(string file)
    {
        var r = TestMount.Run("cat", file);
        Assert.True(r.ExitCode == 0, $"cat {file}: {r.Stderr}");
        return r.Text;
    }

    private void ImportWeb1()
    {
        using var repo = Repository.OpenWriter(_store, "test");
        var own = repo.FindSnapshot("latest");
        repo.ImportForeignSnapshot(own with { Host = "web1", Name = Theirs, Time = new DateTimeOffset(2024, 9, 2, 9, 0, 0, TimeSpan.Zero) });
    }

    [Fact]
    public void OneHostHasNoHostLevel_TwoHostsShowADirectoryEachOnceImported()
    {
        using var m = new InProcessMount(_store);
        Assert.Equal(["2024-09-01", Own, "latest"], Ls(m.Path));
        Assert.Equal("here", new FileInfo(m[".host"]).LinkTarget);

        ImportWeb1();
        Assert.True(Mounts.WaitUntil(() => Ls(m.Path) is ["here", "web1"], TimeSpan.FromSeconds(10)),
            $"the root still shows {string.Join(", ", Ls(m.Path))}");
        Assert.Equal(["2024-09-01", Own, "latest"], Ls(m["here"]));
        Assert.Equal(["2024-09-02", Theirs, "latest"], Ls(m["web1"]));
        Assert.Equal(Theirs, new FileInfo(m["web1/latest"]).LinkTarget);
        Assert.Equal(Own, new FileInfo(m["here/latest"]).LinkTarget);
        Assert.Equal("hello from here\n", Cat(_source.In(m["web1"], "latest", "hello.txt")));
        Assert.Equal("hello from here\n", Cat(_source.In(m["here"], Own, "hello.txt")));
        Assert.Equal("hello from here\n", Cat(_source.In(m["web1"], "2024-09-02", "hello.txt")));
        Assert.False(TestMount.Run("ls", m[Own]).ExitCode == 0, "a snapshot is still at the root beside the hosts");
        Assert.Equal("here", new FileInfo(m[".host"]).LinkTarget);
    }

    [Fact]
    public void AMountOfTwoHostsShowsBothFromTheStart()
    {
        ImportWeb1();
        using var m = new InProcessMount(_store);
        Assert.Equal(["here", "web1"], Ls(m.Path));
        var st = TestMount.Run("stat", "-c", "%F %a", m["web1"]);
        Assert.Equal("directory 755\n", st.Text);
        Assert.Equal("hello from here\n", Cat(_source.In(m["web1"], Theirs, "hello.txt")));
    }
}
