// yesterday(1) end to end: snapshots on three (faked) days of a real tree, then each flag as a user types it.
using System.Diagnostics;
using System.Text;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

public sealed class YesterdayCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-yest");
    private readonly string _store, _src;
    private readonly DateTimeOffset[] _days;

    public YesterdayCommandTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(Path.Combine(_src, "etc"));
        var now = DateTimeOffset.Now;
        _days = [now.AddDays(-3), now.AddDays(-2), now.AddDays(-1)];
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        Write("etc/fstab", "day one\n");
        Write("etc/hosts", "127.0.0.1 localhost\n");
        Snapshot(0);
        Write("etc/fstab", "day two\n");
        Write("etc/gone", "soon deleted\n");
        Snapshot(1);
        File.Delete(Path.Combine(_src, "etc/gone"));
        Write("etc/fstab", "day three\n");
        Snapshot(2);
    }

    private void Write(string rel, string text) => File.WriteAllText(Path.Combine(_src, rel), text);
    private string Src(string rel) => Path.Combine(_src, rel);
    private string Date(int day) => "-" + _days[day].ToString("yyyyMMdd");

    private void Snapshot(int day)
    {
        var r = TimeTravelCli.Run(_store, "snapshot", "--time", _days[day].ToString("O"));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    private CliResult Yesterday(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Src("etc") };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "yesterday.dll"));
        psi.ArgumentList.Add("--store");
        psi.ArgumentList.Add(_store);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliResult(p.ExitCode, Encoding.UTF8.GetBytes(stdout.Result), stderr);
    }

    [Fact]
    public void WithNoFlagItPrintsThePathInTheNewestSnapshot()
    {
        var r = Yesterday("fstab");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"/backup/.snapshot/{_days[2]:yyyy-MM-dd}{Src("etc/fstab")}\n", r.Stdout);
    }

    [Fact]
    public void APlan9DateAndDaysAgoPickEarlierSnapshots()
    {
        Assert.Contains($"/{_days[0]:yyyy-MM-dd}/", Yesterday(Date(0), "fstab").Stdout);
        Assert.Contains($"/{_days[1]:yyyy-MM-dd}/", Yesterday("-n", "2", "fstab").Stdout);
    }

    [Fact]
    public void ADateWithoutASnapshotIsAnErrorNamingTheNearest()
    {
        var r = Yesterday("-" + DateTimeOffset.Now.AddDays(-30).ToString("yyyyMMdd"), "fstab");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("nearest", r.Stderr);
    }

    [Fact]
    public void AFileAbsentFromThatSnapshotExitsOne()
    {
        var r = Yesterday(Date(0), "gone");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("does not exist in snapshot", r.Stderr);
    }

    [Fact]
    public void APathOutsideEverySourceNamesTheSources()
    {
        var r = Yesterday("/usr/bin/env");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(_src, r.Stderr);
    }

    [Fact]
    public void DashDDiffsTheOldVersionAgainstTheCurrentFile()
    {
        var r = Yesterday("-d", Date(0), "fstab");
        Assert.Equal(1, r.ExitCode); // diff's status: they differ
        Assert.Contains("-day one", r.Stdout);
        Assert.Contains("+day three", r.Stdout);
    }

    [Fact]
    public void DashCCopiesBackAtomicallyKeepingTheReplacedFile()
    {
        File.SetUnixFileMode(Src("etc/fstab"), UnixFileMode.UserRead);
        var r = Yesterday("-c", Date(0), "fstab");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day one\n", File.ReadAllText(Src("etc/fstab")));
        Assert.Equal("day three\n", File.ReadAllText(Src("etc/fstab.yesterday~")));
        var restored = PosixFs.LStat(PathBytes.From(Src("etc/fstab")));
        Assert.Equal(0x1A4u, restored.Permissions); // 0644, as recorded on day one
    }

    [Fact]
    public void DashCWithNoBackupLeavesNoBackup()
    {
        Assert.Equal(0, Yesterday("-c", "--no-backup", Date(1), "fstab").ExitCode);
        Assert.Equal("day two\n", File.ReadAllText(Src("etc/fstab")));
        Assert.False(File.Exists(Src("etc/fstab.yesterday~")));
    }

    [Fact]
    public void CapitalCDoesNothingWhereTheyAreTheSame()
    {
        var r = Yesterday("-C", "hosts");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.False(File.Exists(Src("etc/hosts.yesterday~")));
    }

    [Fact]
    public void DashCOnADirectoryRestoresItRecursively()
    {
        Directory.Delete(Src("etc"), true);
        Directory.CreateDirectory(_src);
        var psiDir = _src; // the working directory of the child must exist: run from the source root
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = psiDir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "yesterday.dll"), "--store", _store, "-c", Date(1), "etc" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal("day two\n", File.ReadAllText(Src("etc/fstab")));
        Assert.Equal("soon deleted\n", File.ReadAllText(Src("etc/gone")));
    }

    [Fact]
    public void CapitalDDiffsADirectoryRecursively()
    {
        var r = Yesterday("-D", Date(1), Src("etc"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("gone", r.Stdout);
        Assert.Contains("-day two", r.Stdout);
    }

    [Fact]
    public void DashBRunsACommandWithTheOldVersionBoundOverTheFile()
    {
        var r = Yesterday("-b", Date(0), "fstab", "--", "cat", Src("etc/fstab"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day one\n", r.Stdout);
        Assert.Equal("day three\n", File.ReadAllText(Src("etc/fstab"))); // the system is untouched
    }

    [Fact]
    public void DashAListsEveryVersionIncludingADeletion()
    {
        var fstab = Yesterday("-a", "fstab");
        Assert.Equal(3, fstab.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var gone = Yesterday("-a", "gone").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, gone.Length);
        Assert.Contains("created", gone[0]);
        Assert.Contains("deleted", gone[1]);
    }

    public void Dispose() => _dir.Dispose();
}
