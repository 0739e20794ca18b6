// yesterday(1) against a real mount: the paths it prints exist (so `cd $(yesterday dir)` works), paths inside the
// mount are understood, and an ordinary user, who may not open the 0700 store, is answered from the mount (names,
// existence, -d, -D, -a, -c, -b) with the kernel's permission checks on the recorded owners and modes.
// Regression: every user but root got "permission denied (the store is readable by root only)".
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using InProcessMount = TimeTravel.Tests.Fs.Mounting.Support.InProcessMount;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

[NeedsRoot]
[NeedsFuse]
public sealed class YesterdayMountTests : IDisposable
{
    private const string Nobody = "65534";
    private readonly TempDir _dir = new("tt-ymnt");
    private readonly string _store, _src;
    private readonly DateTimeOffset[] _days;
    private readonly InProcessMount _mount;

    public YesterdayMountTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        try
        {
            Directory.CreateDirectory(Src("etc"));
            Directory.CreateDirectory(Src("home"));
            Shell.Run("chown", "65534:65534", Src("home"));
            var now = DateTimeOffset.Now;
            _days = [now.AddDays(-3), now.AddDays(-2), now.AddDays(-1)];
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            File.WriteAllText(Src("etc/fstab"), "day one\n");
            File.WriteAllText(Src("etc/secret"), "root only\n");
            File.SetUnixFileMode(Src("etc/secret"), (UnixFileMode)0x180);
            File.WriteAllText(Src("home/note"), "first note\n");
            Shell.Run("chown", "65534:65534", Src("home/note"));
            Shell.Run("chmod", "0640", Src("home/note"));
            Shell.Run("touch", "-d", "@1600000000.5", Src("home/note"));
            Snapshot(0);
            File.WriteAllText(Src("etc/fstab"), "day two\n");
            File.WriteAllText(Src("etc/gone"), "short-lived\n");
            Snapshot(1);
            File.Delete(Src("etc/gone"));
            File.WriteAllText(Src("etc/fstab"), "day three\n");
            Snapshot(2);
            Assert.Equal(0x1C0u, PosixFs.LStat(PathBytes.From(_store)).Permissions); // the store is root's alone
            _mount = new InProcessMount(_store);
        }
        catch { _dir.Dispose(); throw; }
    }

    private string Src(string rel) => Path.Combine(_src, rel);
    private string InMount(int day, string rel) => $"{_mount.Path}/{_days[day]:yyyy-MM-dd}{Src(rel)}";
    private string Date(int day) => "-" + _days[day].ToString("yyyyMMdd");

    private void Snapshot(int day)
    {
        var r = TimeTravelCli.Run(_store, "snapshot", "--time", _days[day].ToString("O"));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    private CliResult AsRoot(string cwd, params string[] args) => new YesterdayRunner(_store, cwd).Run(args);
    private CliResult AsNobody(string cwd, params string[] args) => new YesterdayRunner(_store, cwd) { AsUser = Nobody }.Run(args);

    [Fact]
    public void ADirectorysPathExistsInTheMountSoCdIntoItWorks()
    {
        var r = AsRoot(_src, "etc");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(InMount(2, "etc") + "\n", r.Stdout);
        Assert.True(Directory.Exists(r.Stdout.TrimEnd('\n')));
        Assert.Equal("", r.Stderr); // mounted: no note
        string dll = Path.Combine(AppContext.BaseDirectory, "yesterday.dll");
        var (code, output, err) = Shell.Try("sh", "-c", "cd \"$(dotnet \"$0\" --store \"$1\" -n 2 \"$2\")\" && cat fstab", dll, _store, Src("etc"));
        Assert.True(code == 0, err);
        Assert.Equal("day two\n", output);
    }

    [Fact]
    public void PathsInsideTheMountMeanTheFileTheyShow()
    {
        var r = AsRoot("/", $"{_mount.Path}/latest{Src("etc/fstab")}");
        Assert.Equal(InMount(2, "etc/fstab") + "\n", r.Stdout);
        var relative = AsRoot($"{_mount.Path}/{_days[0]:yyyy-MM-dd}{Src("etc")}", "-n", "2", "fstab");
        Assert.True(relative.ExitCode == 0, relative.ToString());
        Assert.Equal(InMount(1, "etc/fstab") + "\n", relative.Stdout);
        var diff = AsRoot("/", "-d", Date(0), $"{_mount.Path}/latest{Src("etc/fstab")}");
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("-day one\n+day three\n", diff.Stdout);
    }

    [Fact]
    public void AnOrdinaryUserGetsNamesAndTimesFromTheMount()
    {
        var newest = AsNobody(_src, "etc/fstab");
        Assert.True(newest.ExitCode == 0, newest.ToString());
        Assert.Equal(InMount(2, "etc/fstab") + "\n", newest.Stdout);
        Assert.Equal(InMount(0, "etc/fstab") + "\n", AsNobody(_src, Date(0), "etc/fstab").Stdout);
        Assert.Equal(InMount(1, "etc/fstab") + "\n", AsNobody(_src, "-n", "1:12", "etc/fstab").Stdout);
        var absent = AsNobody(_src, Date(0), "etc/gone");
        Assert.Equal(1, absent.ExitCode);
        Assert.Contains("does not exist in snapshot", absent.Stderr);
        var never = AsNobody(_src, "/nowhere/x");
        Assert.Equal(1, never.ExitCode);
        Assert.Contains($"/nowhere/x is in no snapshot in {_mount.Path}", never.Stderr);
        var noDate = AsNobody(_src, "-" + DateTimeOffset.Now.AddDays(-30).ToString("yyyyMMdd"), "etc/fstab");
        Assert.Equal(1, noDate.ExitCode);
        Assert.Contains("nearest", noDate.Stderr);
    }

    [Fact]
    public void AnOrdinaryUserLearnsNothingOfAFileTheyCouldNotRead()
    {
        var secret = AsNobody(_src, "-d", "etc/secret");
        Assert.NotEqual(0, secret.ExitCode);
        Assert.DoesNotContain("root only", secret.Stdout);
        Assert.Contains("Permission denied", secret.Stderr);
    }

    [Fact]
    public void AnOrdinaryUserDiffsAFileAndATree()
    {
        var d = AsNobody(Src("etc"), "-d", Date(0), "fstab");
        Assert.Equal(1, d.ExitCode);
        Assert.Contains($"--- {InMount(0, "etc/fstab")}", d.Stdout);
        Assert.Contains("-day one\n+day three\n", d.Stdout);
        File.WriteAllText(Src("home/note"), "edited\n");
        var tree = AsNobody(_src, "-D", Date(0), "home");
        Assert.Equal(1, tree.ExitCode);
        Assert.Contains("-first note\n+edited\n", tree.Stdout);
    }

    [Fact]
    public void AnOrdinaryUserListsVersionsFromTheHistoryViewWithDeletions()
    {
        var fstab = AsNobody(_src, "-a", "etc/fstab").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, fstab.Length);
        Assert.Contains("created", fstab[0]);
        Assert.Contains("content", fstab[1]);
        Assert.EndsWith(InMount(2, "etc/fstab"), fstab[2]);
        var gone = AsNobody(_src, "-a", "etc/gone");
        Assert.True(gone.ExitCode == 0, gone.ToString());
        var lines = gone.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^{_days[1]:yyyy-MM-dd HH:mm}:\d\d +12  0:0 +created +{System.Text.RegularExpressions.Regex.Escape(InMount(1, "etc/gone"))}$", lines[0]);
        Assert.Matches($@"^{_days[2]:yyyy-MM-dd HH:mm}:\d\d +- +- +deleted +\(deleted\)$", lines[1]);
    }

    [Fact]
    public void AnOrdinaryUserCopiesBackWithTheModeAndTimesTheMountShows()
    {
        File.WriteAllText(Src("home/note"), "ruined\n");
        Shell.Run("chmod", "0600", Src("home/note"));
        var r = AsNobody(Src("home"), "-c", Date(0), "note");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"replace {Src("home/note")}\n", r.Stdout);
        Assert.Equal("first note\n", File.ReadAllText(Src("home/note")));
        Assert.Equal("ruined\n", File.ReadAllText(Src("home/note.yesterday~")));
        var st = PosixFs.LStat(PathBytes.From(Src("home/note")));
        Assert.Equal((65534u, 0x1A0u, 1_600_000_000_500_000_000L), (st.Uid, st.Permissions, st.MTimeNs));
        var same = AsNobody(Src("home"), "-C", Date(0), "note");
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Equal("", same.Stdout);
    }

    [Fact]
    public void ThroughTheMountADirectoryIsMergedNotRolledBackAndSaysSo()
    {
        // The mount does not show what the sources exclude: removing what it lacks could remove excluded files.
        File.WriteAllText(Src("home/since"), "made since\n");
        Shell.Run("chown", "65534:65534", Src("home/since"));
        var r = AsNobody(_src, "-c", Date(0), "home");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("merged, not rolled back", r.Stderr);
        Assert.True(File.Exists(Src("home/since")));
    }

    [Fact]
    public void AnOrdinaryUserRunsACommandWithOldVersionsBound()
    {
        var r = AsNobody(Src("etc"), "-b", Date(0), "fstab", "--", "cat", "fstab");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day one\n", r.Stdout);
        Assert.Equal("day three\n", File.ReadAllText(Src("etc/fstab")));
    }

    public void Dispose()
    {
        try { _mount.Dispose(); }
        finally { _dir.Dispose(); }
    }
}
