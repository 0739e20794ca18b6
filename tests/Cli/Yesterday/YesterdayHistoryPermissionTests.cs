// `yesterday -a` as a real unprivileged user (tt-hist1), answered from the mount's .history: it lists the versions
// the user could reach in the snapshots they come from, and no others. Regression: a version from when its
// directory was 0700 was listed (and `.history` refused a directory 0700 now even for its earlier, open versions).
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

[NeedsRoot, NeedsFuse]
public sealed class YesterdayHistoryPermissionTests : IDisposable
{
    private readonly TempDir _dir = new("tt-yperm");
    private readonly string _store, _src;
    private readonly DateTimeOffset[] _days = [DateTimeOffset.Now.AddDays(-2), DateTimeOffset.Now.AddDays(-1)];
    private readonly InProcessMount _mount;
    private readonly uint _user = TestUsers.User("tt-hist1").Uid;

    public YesterdayHistoryPermissionTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        try
        {
            Directory.CreateDirectory(_src);
            using (var repo = Repository.Init(_store)) repo.Catalog.AddSource(new SourceRecord(_src, []));
            InSource("mkdir opened closed; chmod 0700 opened; chmod 0755 closed; echo one > opened/f; echo one > closed/f; chmod 0644 opened/f closed/f");
            Snapshot(0);
            InSource("chmod 0755 opened; chmod 0700 closed; echo two > opened/f; echo two > closed/f");
            Snapshot(1);
            _mount = new InProcessMount(_store);
        }
        catch { _dir.Dispose(); throw; }
    }

    private void InSource(string script) => Shell.Run("sh", "-ec", $"cd '{_src}'\n{script}");

    private void Snapshot(int day)
    {
        using var repo = Repository.OpenWriter(_store, "test");
        new SnapshotWriter(repo, new SnapshotOptions { Time = _days[day] }).Run();
    }

    // Where yesterday says a version is: under the day's link, as in YesterdayMountTests.
    private string InMount(int day, string rel) => $"{_mount.Path}/{_days[day]:yyyy-MM-dd}{_src}/{rel}";

    private string[] Versions(string path)
    {
        var r = new YesterdayRunner(_store, _src) { AsUser = _user.ToString() }.Run("-a", path);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void AnOrdinaryUserListsOnlyTheVersionsFromWhenTheirDirectoryWasOpen()
    {
        var opened = Versions("opened/f");
        Assert.Single(opened);
        Assert.Contains("created", opened[0]);
        Assert.EndsWith(InMount(1, "opened/f"), opened[0]);

        var closed = Versions("closed/f");
        Assert.Single(closed); // not "deleted" in the snapshot that hides it: it is not known to be gone
        Assert.Contains("created", closed[0]);
        Assert.EndsWith(InMount(0, "closed/f"), closed[0]);
    }

    public void Dispose()
    {
        try { _mount.Dispose(); }
        finally { _dir.Dispose(); }
    }
}
