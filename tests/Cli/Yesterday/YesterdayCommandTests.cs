// yesterday(1) end to end with nothing mounted: snapshots on three (faked) days of a real tree, then each flag and
// date form as a user types it. Old versions are extracted into a private directory (TMPDIR points into the test's
// own directory, so what is left behind, and its mode, can be checked).
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Yesterday;

[NeedsRoot]
public sealed class YesterdayCommandTests : IDisposable
{
    private const long OwnedMTimeNs = 1_500_000_000_123_456_789;
    private readonly TempDir _dir = new("tt-yest");
    private readonly string _store, _src, _tmp;
    private readonly DateTimeOffset[] _days;

    public YesterdayCommandTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        _tmp = _dir["tmp"];
        Directory.CreateDirectory(Path.Combine(_src, "etc"));
        Directory.CreateDirectory(_tmp);
        var now = DateTimeOffset.Now;
        _days = [now.AddDays(-3), now.AddDays(-2), now.AddDays(-1)];
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        Write("etc/fstab", "day one\n");
        Write("etc/hosts", "127.0.0.1 localhost\n");
        Write("etc/owned", "theirs\n");
        Shell.Run("chown", "1234:5678", Src("etc/owned"));
        Shell.Run("chmod", "0640", Src("etc/owned"));
        Shell.Run("setfattr", "-n", "user.note", "-v", "recorded", Src("etc/owned"));
        Shell.Run("touch", "-h", "-d", "@1500000000.123456789", Src("etc/owned"));
        Write("etc/prog", "#!/bin/sh\necho old\n");
        Shell.Run("chmod", "0755", Src("etc/prog"));
        Write("etc/secret", "old secret\n");
        Shell.Run("chmod", "0600", Src("etc/secret"));
        Snapshot(0);
        Write("etc/fstab", "day two\n");
        Write("etc/gone", "soon deleted\n");
        Snapshot(1);
        File.Delete(Path.Combine(_src, "etc/gone"));
        Write("etc/fstab", "day three\n");
        Snapshot(2);
        Write("etc/prog", "#!/bin/sh\necho new\n");
        Write("etc/secret", "new secret\n");
    }

    private void Write(string rel, string text) => File.WriteAllText(Path.Combine(_src, rel), text);
    private string Src(string rel) => Path.Combine(_src, rel);
    private string Date(int day) => "-" + _days[day].ToString("yyyyMMdd");
    // Nothing is mounted, so a version has no path: it is shown as SNAPSHOT:PATH (the store's zone is this process's).
    private string InMount(int day, string rel) => $"{_days[day]:yyyy-MM-dd_HHmm}:{Src(rel)}";

    private void Snapshot(int day)
    {
        var r = TimeTravelCli.Run(_store, "snapshot", "--time", _days[day].ToString("O"));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    private CliResult Yesterday(params string[] args) =>
        new YesterdayRunner(_store, Src("etc")) { Environment = { ["TMPDIR"] = _tmp } }.Run(args);

    [Fact]
    public void WithNoFlagItPrintsThePathInTheNewestSnapshot()
    {
        var r = Yesterday("fstab");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(InMount(2, "etc/fstab") + "\n", r.Stdout);
    }

    // Regression: with the store not mounted, yesterday printed paths under /backup/.snapshot that did not exist.
    [Fact]
    public void NotMountedItNamesTheVersionBySnapshotAndSaysHowToMount()
    {
        foreach (var args in new[] { new[] { "fstab" }, ["-a", "fstab"] })
        {
            var r = Yesterday(args);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.DoesNotContain("/backup/.snapshot/", r.Stdout);
            Assert.Contains($"{InMount(2, "etc/fstab")}", r.Stdout);
            Assert.Contains($"{_store} is not mounted, so versions are shown as SNAPSHOT:PATH", r.Stderr);
            Assert.Contains($"timetravel --store {_store} mount", r.Stderr);
        }
    }

    // Regression: `yesterday --store /nonexistent` answered from the default store's mount, with exit 0.
    [Fact]
    public void ANonexistentStoreIsAnErrorNamingIt()
    {
        string missing = _dir["no-such-store"];
        foreach (var user in new string?[] { null, "65534" })
        {
            var r = new YesterdayRunner(missing, "/") { AsUser = user }.Run(Src("etc/fstab"));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.Stdout);
            Assert.Contains($"{missing}: no such store", r.Stderr);
        }
    }

    [Fact]
    public void AStoreAnOrdinaryUserMayNotReadAndNobodyMountedIsAnErrorSayingHowToMount()
    {
        var r = new YesterdayRunner(_store, "/") { AsUser = "65534" }.Run(Src("etc/fstab"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains($"{_store}: the store is readable by root only and is not mounted", r.Stderr);
        Assert.Contains($"timetravel --store {_store} mount", r.Stderr);
    }

    [Fact]
    public void EveryPlan9DateFormNamesTheSameSnapshot()
    {
        var d = _days[0];
        foreach (var form in new[] { $"-{d.Day}", $"-{d:dd}", $"-{d:MMdd}", $"-{d:yyMMdd}", $"-{d:yyyyMMdd}" })
        {
            var r = Yesterday(form, "fstab");
            Assert.True(r.ExitCode == 0, $"{form}: {r}");
            Assert.Equal(InMount(0, "etc/fstab") + "\n", r.Stdout);
        }
    }

    [Fact]
    public void DaysAgoWithHoursAndAtPickEarlierSnapshots()
    {
        Assert.Equal(InMount(1, "etc/fstab") + "\n", Yesterday("-n", "2", "fstab").Stdout);
        Assert.Equal(InMount(1, "etc/fstab") + "\n", Yesterday("-n", "1:12", "fstab").Stdout); // 36 hours ago: not the last day's
        Assert.Equal(InMount(0, "etc/fstab") + "\n", Yesterday("--at", _days[1].AddMinutes(-1).ToString("yyyy-MM-dd HH:mm:ss zzz"), "fstab").Stdout);
        Assert.Equal(InMount(1, "etc/fstab") + "\n", Yesterday("--at", _days[1].AddMinutes(1).ToString("O"), "fstab").Stdout);
    }

    [Theory]
    [InlineData("-c", "-d")]
    [InlineData("-b", "-a")]
    [InlineData("-n", "1", "--at", "2026-01-01")]
    [InlineData("-n", "1", "-01")]
    [InlineData("-a", "-n", "1")]
    [InlineData("--no-backup")]
    public void ConflictingFlagsAreAnErrorNotSilentlyRanked(params string[] flags)
    {
        var r = Yesterday([.. flags, "fstab"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("yesterday: ", r.Stderr);
        Assert.Equal("day three\n", File.ReadAllText(Src("etc/fstab")));
    }

    [Fact]
    public void ACommandAfterDashDashWithoutDashBIsAnError()
    {
        var r = Yesterday("fstab", "--", "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("goes with -b", r.Stderr);
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
    public void APathThroughASymlinkedDirectoryIsTheRecordedPath()
    {
        // Regression: /lib/x on usrmerge (/lib -> usr/lib) was "outside every source".
        File.CreateSymbolicLink(_dir["etc-link"], Src("etc"));
        var r = Yesterday(_dir["etc-link/fstab"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(InMount(2, "etc/fstab") + "\n", r.Stdout);
    }

    [Fact]
    public void DashDDiffsAPrivateCopyOfTheOldVersionAgainstTheCurrentFile()
    {
        var r = Yesterday("-d", Date(0), "fstab");
        Assert.Equal(1, r.ExitCode); // diff's status: they differ
        Assert.Contains($"--- {InMount(0, "etc/fstab")}", r.Stdout);
        Assert.Contains("-day one", r.Stdout);
        Assert.Contains("+day three", r.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));

        // A diff that reports the mode of what it is given: the old version is a 0600 file in a 0700 directory.
        Directory.CreateDirectory(_dir["bin"]);
        File.WriteAllText(_dir["bin/diff"], "#!/bin/sh\nfor f; do :; done\nold=$6\nstat -c '%a %u' \"$old\" \"$(dirname \"$old\")\"\n");
        File.SetUnixFileMode(_dir["bin/diff"], (UnixFileMode)0x1ED);
        var probe = new YesterdayRunner(_store, Src("etc"))
        { Environment = { ["TMPDIR"] = _tmp, ["PATH"] = _dir["bin"] + ":" + Environment.GetEnvironmentVariable("PATH") } }.Run("-d", Date(0), "secret");
        Assert.True(probe.ExitCode == 0, probe.ToString());
        Assert.Equal("600 0\n700 0\n", probe.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public void CapitalDDiffsADirectoryAndNamesTheOldSideByItsSnapshotPath()
    {
        var r = Yesterday("-D", Date(1), Src("etc"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"Only in {InMount(1, "etc")}: gone", r.Stdout);
        Assert.Contains($"--- {InMount(1, "etc")}/fstab", r.Stdout);
        Assert.Contains("-day two", r.Stdout);
        Assert.DoesNotContain(_tmp, r.Stdout); // regression: the old side was labelled with the temporary copy
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public void DashCCopiesBackOwnerModeMtimeAndXattrsKeepingTheReplacedFile()
    {
        Shell.Run("chown", "0:0", Src("etc/owned"));
        Shell.Run("chmod", "0600", Src("etc/owned"));
        Shell.Run("setfattr", "-x", "user.note", Src("etc/owned"));
        File.WriteAllText(Src("etc/owned"), "mine now\n");
        var r = Yesterday("-c", Date(0), "owned");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"replace {Src("etc/owned")}\n", r.Stdout);
        var st = PosixFs.LStat(PathBytes.From(Src("etc/owned")));
        Assert.Equal((1234u, 5678u, 0x1A0u, OwnedMTimeNs), (st.Uid, st.Gid, st.Permissions, st.MTimeNs));
        Assert.Contains(PosixFs.ReadXattrs(PathBytes.From(Src("etc/owned"))), x => x.Key.AsSpan().SequenceEqual("user.note"u8) && x.Value.AsSpan().SequenceEqual("recorded"u8));
        Assert.Equal("theirs\n", File.ReadAllText(Src("etc/owned")));
        Assert.Equal("mine now\n", File.ReadAllText(Src("etc/owned.yesterday~")));
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
        var r = new YesterdayRunner(_store, _src).Run("-c", Date(1), "etc");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day two\n", File.ReadAllText(Src("etc/fstab")));
        Assert.Equal("soon deleted\n", File.ReadAllText(Src("etc/gone")));
    }

    [Fact]
    public void DashCOnADirectoryRollsItBackMovingAsideWhatWasMadeSince()
    {
        // Regression: `yesterday -c -1126 sub` merged, leaving sub/new in place.
        Write("etc/new", "made since\n");
        var r = new YesterdayRunner(_store, _src).Run("-c", Date(0), "etc");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"remove {Src("etc/new")} (kept as new.yesterday~)", r.Stdout);
        Assert.False(File.Exists(Src("etc/new")));
        Assert.Equal("made since\n", File.ReadAllText(Src("etc/new.yesterday~")));
        Assert.Equal("day one\n", File.ReadAllText(Src("etc/fstab")));

        var again = new YesterdayRunner(_store, _src).Run("-c", "--no-backup", Date(0), "etc");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(File.Exists(Src("etc/new.yesterday~"))); // earlier backups are left alone
    }

    [Fact]
    public void TheRollbackLeavesWhatTheSourceExcludes()
    {
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src, "--exclude", "*.cache").ExitCode);
        Write("etc/build.cache", "excluded from every snapshot\n");
        Write("etc/new", "made since\n");
        var r = new YesterdayRunner(_store, _src).Run("-c", "--no-backup", Date(0), "etc");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(Src("etc/build.cache")));
        Assert.False(File.Exists(Src("etc/new")));
    }

    [Fact]
    public void DashBRunsACommandWithTheOldVersionBoundOverTheFile()
    {
        var r = Yesterday("-b", Date(0), "fstab", "--", "cat", Src("etc/fstab"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day one\n", r.Stdout);
        Assert.Equal("day three\n", File.ReadAllText(Src("etc/fstab"))); // the system is untouched
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public void DashBKeepsTheRecordedModeSoABoundProgramRuns()
    {
        // Regression: the old version was written 0644 by FileStream, so a 0755 program failed with status 126.
        var prog = Yesterday("-b", Date(0), "prog", "--", "./prog");
        Assert.True(prog.ExitCode == 0, prog.ToString());
        Assert.Equal("old\n", prog.Stdout);
        var secret = Yesterday("-b", Date(0), "secret", "--", "sh", "-c", "stat -c '%a %u:%g' secret; cat secret; stat -c %a \"$TMPDIR\"/yesterday-*");
        Assert.True(secret.ExitCode == 0, secret.ToString());
        Assert.Equal("600 0:0\nold secret\n700\n", secret.Stdout); // and the private directory is 0700
        Assert.Empty(Directory.GetFileSystemEntries(_tmp));
    }

    [Fact]
    public void DashBWithSeveralFilesBindsThemAllAndRunsTheCommandOnce()
    {
        Write("etc/hosts", "changed\n");
        var r = Yesterday("-b", Date(0), "fstab", "hosts", "--", "sh", "-c", "cat fstab hosts; echo ran");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("day one\n127.0.0.1 localhost\nran\n", r.Stdout);
    }

    [Fact]
    public void DashBPassesOnTheCommandsStatus()
    {
        Assert.Equal(7, Yesterday("-b", "fstab", "--", "sh", "-c", "exit 7").ExitCode);
    }

    [Fact]
    public void DashAListsEveryVersionIncludingADeletion()
    {
        var fstab = Yesterday("-a", "fstab").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, fstab.Length);
        Assert.EndsWith(InMount(0, "etc/fstab"), fstab[0]);
        var gone = Yesterday("-a", "gone").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, gone.Length);
        Assert.Contains("created", gone[0]);
        Assert.Contains("deleted", gone[1]);
        Assert.EndsWith("(deleted)", gone[1]); // regression: a mount path that does not exist
    }

    [Fact]
    public void DashAShowsSizeAndOwner()
    {
        var owned = Yesterday("-a", "owned").Stdout;
        Assert.Matches($@"^{_days[0]:yyyy-MM-dd HH:mm}:\d\d +7  1234:5678 +created +{System.Text.RegularExpressions.Regex.Escape(InMount(0, "etc/owned"))}\n$", owned);
    }

    public void Dispose() => _dir.Dispose();
}
