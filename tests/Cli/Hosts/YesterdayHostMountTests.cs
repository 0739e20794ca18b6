// yesterday(1) and path arguments against a real mount that shows hosts (issue 14): printed paths go through the own
// host's directory by default and another's with --host, for root (reading the store) and for an ordinary user
// (reading the mount, which finds the own host through the hidden .host link); a path typed inside a host's
// directory of the mount means the file it shows.
using TimeTravel.Store;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Cli.Yesterday;
using InProcessMount = TimeTravel.Tests.Fs.Mounting.Support.InProcessMount;
using Xunit;

namespace TimeTravel.Tests.Cli.Hosts;

[NeedsRoot]
[NeedsFuse]
public sealed class YesterdayHostMountTests : IDisposable
{
    private const string Nobody = "65534";
    private readonly TempDir _dir = new("tt-yhost");
    private readonly string _store, _src;
    private readonly DateTimeOffset[] _days;
    private readonly InProcessMount _mount;

    public YesterdayHostMountTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        try
        {
            Directory.CreateDirectory(_src);
            var today = DateTimeOffset.UtcNow.Date;
            _days = [.. new[] { -3, -2, -1 }.Select(d => new DateTimeOffset(today.AddDays(d).AddHours(12), TimeSpan.Zero))];
            Ok(TimeTravelCli.Run(_store, "init", "--host", "here", _src));
            File.WriteAllText(Src("fstab"), "web1's fstab\n");
            Ok(TimeTravelCli.Run(_store, "snapshot", "--quiet", "--time", _days[0].ToString("O")));
            File.WriteAllText(Src("fstab"), "here's fstab\n");
            Ok(TimeTravelCli.Run(_store, "snapshot", "--quiet", "--time", _days[1].ToString("O")));
            using (var repo = Repository.OpenWriter(_store, "test"))
            {
                // The first snapshot becomes web1's, the newest of all, with content the own host no longer has.
                var first = repo.OwnSnapshots()[0];
                repo.Forget([first]);
                repo.ImportForeignSnapshot(first with { Host = "web1", Name = $"{_days[2]:yyyy-MM-dd}_1200", Time = _days[2] });
            }
            _mount = new InProcessMount(_store);
        }
        catch { _dir.Dispose(); throw; }
    }

    public void Dispose()
    {
        _mount.Dispose();
        _dir.Dispose();
    }

    private static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private string Src(string rel) => Path.Combine(_src, rel);
    private string InMount(string host, int day, string rel) => $"{_mount.Path}/{host}/{_days[day]:yyyy-MM-dd}{Src(rel)}";
    private CliResult AsRoot(string cwd, params string[] args) => new YesterdayRunner(_store, cwd).Run(args);
    private CliResult AsNobody(string cwd, params string[] args) => new YesterdayRunner(_store, cwd) { AsUser = Nobody }.Run(args);

    [Fact]
    public void YesterdayPrintsPathsInTheOwnHostsDirectoryUnlessAnotherHostIsNamed()
    {
        Assert.Equal(InMount("here", 1, "fstab") + "\n", Ok(AsRoot(_src, "fstab")).Stdout);
        var web1 = Ok(AsRoot(_src, "--host", "web1", "fstab")).Stdout;
        Assert.Equal(InMount("web1", 2, "fstab") + "\n", web1);
        Assert.Equal("web1's fstab\n", File.ReadAllText(web1.TrimEnd('\n')));
        Assert.Equal("here's fstab\n", File.ReadAllText(InMount("here", 1, "fstab")));
    }

    [Fact]
    public void AnOrdinaryUserReadsTheOwnHostsDirectoryOfTheMountByDefault()
    {
        Assert.Equal(InMount("here", 1, "fstab") + "\n", Ok(AsNobody(_src, "fstab")).Stdout);
        Assert.Equal(InMount("web1", 2, "fstab") + "\n", Ok(AsNobody(_src, "--host", "web1", "fstab")).Stdout);
        var unknown = AsNobody(_src, "--host", "web9", "fstab");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("shows no such host", unknown.Stderr);
    }

    [Fact]
    public void APathInsideAHostsDirectoryOfTheMountMeansTheFileItShows()
    {
        Assert.Equal(InMount("here", 1, "fstab") + "\n", Ok(AsRoot("/", $"{_mount.Path}/here/latest{Src("fstab")}")).Stdout);
        var cat = Ok(TimeTravelCli.Run(_store, "cat", "web1/latest", $"{_mount.Path}/web1/latest{Src("fstab")}"));
        Assert.Equal("web1's fstab\n", cat.Stdout);
    }
}
