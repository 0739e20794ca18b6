// Root (reading the store) and an ordinary user (reading the mount) choose the same snapshot, each with a TZ of their
// own, across the end of daylight saving time in the store's zone and in a burst of snapshots within one second.
// Regression: names written in the repeated hour (_02h10+0100) were dropped by the mount's reader, and names were read
// in the reader's TZ, so `yesterday --at`, -n, -DATE and -a answered an ordinary user differently than root.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using InProcessMount = TimeTravel.Tests.Fs.Mounting.Support.InProcessMount;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

[NeedsRoot, NeedsFuse]
public sealed class YesterdayZoneTests : IDisposable
{
    private const string Nobody = "65534";
    // Berlin leaves summer time on 2024-10-27 at 01:00Z: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 comes twice.
    private static readonly string[] Times =
    [
        "2024-10-27T00:30:00Z",                     // 02:30 CEST, the first pass:  2024-10-27_0230
        "2024-10-27T01:10:00Z",                     // 02:10 CET, the second pass:  2024-10-27_02h10+0100
        "2024-10-27T01:40:00Z",                     // 02:40 CET:                   2024-10-27_02h40+0100
        .. Enumerable.Repeat("2024-10-27T09:00:05Z", 12), // 10:00:05 CET, twelve times: _1000, _100005, _100005.001 ... .010
    ];
    private readonly TempDir _dir = new("tt-yzone");
    private readonly string _store, _src;
    private readonly InProcessMount _mount;

    public YesterdayZoneTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        try
        {
            Directory.CreateDirectory(_src);
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            for (int i = 0; i < Times.Length; i++)
            {
                File.WriteAllText(Path.Combine(_src, "file"), $"version {i}\n");
                // The writer runs in Berlin time: the first snapshot records the store's zone.
                var (code, _, err) = Shell.Try("env", ["TZ=Europe/Berlin", .. TimeTravelCli.Command, "--store", _store, "snapshot", "--time", Times[i]]);
                Assert.True(code == 0, err);
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

    private string File_ => Path.Combine(_src, "file");
    private string InMount(string directory) => $"{_mount.Path}/{directory}{File_}";

    private CliResult AsRoot(params string[] args) =>
        new YesterdayRunner(_store, "/") { Environment = { ["TZ"] = "America/New_York" } }.Run(args);

    private CliResult AsNobody(params string[] args) =>
        new YesterdayRunner(_store, "/") { AsUser = Nobody, Environment = { ["TZ"] = "Asia/Tokyo" } }.Run(args);

    [Fact]
    public void TheMountShowsTheNamesInTheStoresZoneAndTheZoneItself()
    {
        var names = Directory.GetFileSystemEntries(_mount.Path).Select(Path.GetFileName).ToList();
        Assert.Contains("2024-10-27_0230", names);
        Assert.Contains("2024-10-27_02h10+0100", names);
        Assert.Contains("2024-10-27_02h40+0100", names);
        Assert.Contains("2024-10-27_1000", names);
        Assert.Contains("2024-10-27_100005", names);
        Assert.Contains("2024-10-27_100005.010", names);
        Assert.Equal("Europe/Berlin", new FileInfo(_mount[".zone"]).LinkTarget);
    }

    [Theory]
    [InlineData("2024-10-27 02:15", "2024-10-27_02h10+0100")]       // the repeated 02:15 is the later one
    [InlineData("2024-10-27 02:30+02:00", "2024-10-27_0230")]
    [InlineData("2024-10-27 02:40", "2024-10-27_02h40+0100")]
    [InlineData("2024-10-27T01:39:59Z", "2024-10-27_02h10+0100")]
    [InlineData("2024-10-27 10:00", "2024-10-27")]                  // the whole minute: the burst's last, the day's last
    [InlineData("2024-10-27 10:00:04", "2024-10-27_1000")]          // named for its minute, so at 10:00:00
    public void AtChoosesTheSameSnapshotForRootAndAnOrdinaryUser(string at, string expected)
    {
        var root = AsRoot("--at", at, File_);
        var nobody = AsNobody("--at", at, File_);
        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.True(nobody.ExitCode == 0, nobody.ToString());
        Assert.Equal(InMount(expected) + "\n", root.Stdout);
        Assert.Equal(root.Stdout, nobody.Stdout);
    }

    [Fact]
    public void DaysAgoAndDatesChooseTheSameSnapshotForRootAndAnOrdinaryUser()
    {
        // -n D:H with the cut an hour or less after 05:00Z that day: the newest before it is 02:40 CET (01:40Z).
        int hours = (int)Math.Floor((DateTimeOffset.UtcNow - DateTimeOffset.Parse("2024-10-27T05:00:00Z")).TotalHours);
        string n = $"{hours / 24}:{hours % 24}";
        Assert.Equal(InMount("2024-10-27_02h40+0100") + "\n", AsRoot("-n", n, File_).Stdout);
        Assert.Equal(AsRoot("-n", n, File_).Stdout, AsNobody("-n", n, File_).Stdout);
        Assert.Equal(InMount("2024-10-27") + "\n", AsRoot("-20241027", File_).Stdout);
        Assert.Equal(AsRoot("-20241027", File_).Stdout, AsNobody("-20241027", File_).Stdout);
        var before = AsNobody("-20241026", File_);
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("nearest: 2024-10-27_0230", before.Stderr);
    }

    [Fact]
    public void EveryVersionIsListedAlikeForRootAndAnOrdinaryUser()
    {
        var root = AsRoot("-a", File_);
        var nobody = AsNobody("-a", File_);
        Assert.True(nobody.ExitCode == 0, nobody.ToString());
        // Each line: the time (root knows the seconds the names leave out), then size, owner, change and path.
        string[] Rest(CliResult r) => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[19..]).ToArray();
        Assert.Equal(Times.Length, Rest(root).Length);
        Assert.Equal(Rest(root), Rest(nobody));
        Assert.Contains(Rest(nobody), l => l.EndsWith(InMount("2024-10-27_02h10+0100"), StringComparison.Ordinal));
        Assert.StartsWith("2024-10-27 02:10:00", nobody.Stdout.Split('\n')[1]);
    }
}
