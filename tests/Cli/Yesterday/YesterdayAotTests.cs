// The `yesterday` users run is the NativeAOT binary, and LiteDB's typed mapper silently returns empty objects
// ahead-of-time compiled: the JIT build beside the tests proves nothing about that. These run the published binary
// (run-tests.sh publishes it and passes its path in YESTERDAY_AOT; else artifacts/aot/yesterday in the repository)
// against a real store and check real snapshot names, times and owners. A missing binary fails, it does not skip.
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;
using InProcessMount = TimeTravel.Tests.Fs.Mounting.Support.InProcessMount;

namespace TimeTravel.Tests.Cli.Yesterday;

[NeedsRoot]
[NeedsFuse]
public sealed class YesterdayAotTests : IDisposable
{
    private static readonly DateTimeOffset First = new(2026, 11, 20, 9, 15, 0, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2026, 11, 20, 9, 15, 0)));
    private static readonly DateTimeOffset Second = First.AddDays(2).AddHours(8);
    private readonly TempDir _dir = new("tt-yaot");
    private readonly string _store, _src;

    public static string Binary =>
        Environment.GetEnvironmentVariable("YESTERDAY_AOT") is { Length: > 0 } p ? p
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../artifacts/aot/yesterday"));

    public YesterdayAotTests()
    {
        Assert.True(File.Exists(Binary), $"the NativeAOT yesterday is missing at {Binary}: run ./run-tests.sh, or " +
            "`dotnet publish cli/yesterday/Yesterday.csproj -c Release -r linux-x64 -o artifacts/aot`");
        var head = new byte[4];
        using (var f = File.OpenRead(Binary)) f.ReadExactly(head);
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, head); // a native executable, not a managed assembly
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(_src);
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        File.WriteAllText(_dir["src/motd"], "welcome\n");
        Shell.Run("chown", "1234:5678", _dir["src/motd"]);
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", First.ToString("O")).ExitCode);
        File.WriteAllText(_dir["src/motd"], "welcome back\n");
        Shell.Run("chown", "1234:5678", _dir["src/motd"]);
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", Second.ToString("O")).ExitCode);
    }

    private CliResult Aot(params string[] args) => new YesterdayRunner(_store, _src) { Native = Binary }.Run(args);

    [Fact]
    public void TheNativeBinaryReadsRealSnapshotNamesTimesAndOwners()
    {
        var history = Aot("-a", "motd");
        Assert.True(history.ExitCode == 0, history.ToString());
        var lines = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"2026-11-20 09:15:00             8  1234:5678    created           2026-11-20_0915:{_src}/motd", lines[0]);
        Assert.StartsWith($"{Second:yyyy-MM-dd HH:mm:ss}            13  1234:5678    content ", lines[1]);

        Assert.Equal($"2026-11-20_0915:{_src}/motd\n", Aot("--at", First.AddHours(1).ToString("O"), "motd").Stdout);
        Assert.Equal($"2026-11-20_0915:{_src}/motd\n", Aot("-20261120", "motd").Stdout);
        var outside = Aot("/usr/bin/env");
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains($"the sources are {_src}", outside.Stderr);
    }

    [Fact]
    public void TheNativeBinaryCopiesBackWithTheRecordedOwner()
    {
        var r = Aot("-c", "-20261120", "motd");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("welcome\n", File.ReadAllText(_dir["src/motd"]));
        var st = PosixFs.LStat(_dir.Bytes("src/motd"));
        Assert.Equal((1234u, 5678u), (st.Uid, st.Gid));
    }

    [Fact]
    public void TheNativeBinaryAnswersAnOrdinaryUserFromTheMount()
    {
        using var mount = new InProcessMount(_store);
        var r = new YesterdayRunner(_store, _src) { Native = Binary, AsUser = "65534" }.Run("-20261120", "motd");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{mount.Path}/2026-11-20{_src}/motd\n", r.Stdout);
        Assert.True(File.Exists(r.Stdout.TrimEnd('\n')));
    }

    public void Dispose() => _dir.Dispose();
}
