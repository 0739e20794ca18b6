// `timetravel restore SNAPSHOT PATH [--to DEST] [--dry-run]`: to another place, as a dry run, and back over the
// original with NAME.yesterday~ kept.
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

[NeedsRoot]
public class RestoreCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-clirest");
    public void Dispose() => _dir.Dispose();

    private CliResult Run(params string[] args)
    {
        var r = TimeTravelCli.Run(_dir["store"], args);
        Assert.True(r.ExitCode == 0, $"timetravel {string.Join(' ', args)}: {r}");
        return r;
    }

    [Fact]
    public void RestoresToAnotherPlaceAsADryRunAndOverTheOriginalKeepingABackup()
    {
        string src = _dir["src"];
        Directory.CreateDirectory(src + "/sub");
        File.WriteAllText(src + "/sub/a.txt", "original\n");
        File.WriteAllText(src + "/b.txt", "bee\n");
        Run("init", src);
        Run("snapshot", "--time", "2026-11-01T10:00:00Z"); // named in the store's zone: UTC, as run-tests.sh sets TZ
        File.WriteAllText(src + "/sub/a.txt", "ruined\n");

        var dry = Run("restore", "latest", src, "--to", _dir["copy"], "--dry-run");
        Assert.Contains($"would create {_dir["copy"]}/sub/a.txt", dry.Stdout);
        Assert.False(Directory.Exists(_dir["copy"]));

        var copy = Run("restore", "latest", src, "--to", _dir["copy"]);
        Assert.Contains($"create {_dir["copy"]}/b.txt", copy.Stdout);
        Assert.Equal("original\n", File.ReadAllText(_dir["copy/sub/a.txt"]));
        Assert.Contains("4 created", copy.Stderr);

        var back = Run("restore", "2026-11-01_1000", src + "/sub/a.txt");
        Assert.Equal($"replace {src}/sub/a.txt\n", back.Stdout);
        Assert.Equal("original\n", File.ReadAllText(src + "/sub/a.txt"));
        Assert.Equal("ruined\n", File.ReadAllText(src + "/sub/a.txt.yesterday~"));

        var again = Run("restore", "latest", src, "--if-different");
        Assert.Equal("", again.Stdout);
        Assert.Contains("0 created, 0 replaced, 4 unchanged", again.Stderr); // src, b.txt, sub, sub/a.txt
    }

    [Fact]
    public void AnotherUserGetsTheContentButNotTheOwnerOrSetuidAndExitStatus3()
    {
        string src = _dir["src"];
        Directory.CreateDirectory(src);
        File.WriteAllText(src + "/tool", "#!/bin/sh\n");
        PosixFs.LChown(PathBytes.From(src + "/tool"), 1234, 5678);
        PosixFs.Chmod(PathBytes.From(src + "/tool"), 0x9ED); // 04755
        Run("init", src);
        Run("snapshot");
        Shell.Run("chown", "-R", "65534:65534", _dir["store"]);
        Directory.CreateDirectory(_dir["nobody"]);
        PosixFs.LChown(_dir.Bytes("nobody"), 65534, 65534);

        var r = TimeTravelCli.RunAs("65534", _dir["store"], "restore", "latest", src + "/tool", "--to", _dir["nobody/tool"]);
        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains($"{_dir["nobody/tool"]}: lchown: Operation not permitted", r.Stderr);
        Assert.DoesNotContain(".tt-restore-", r.Stderr);
        Assert.Contains($"failed {_dir["nobody/tool"]}", r.Stdout);
        var st = PosixFs.LStat(_dir.Bytes("nobody/tool"));
        Assert.Equal((65534u, 65534u), (st.Uid, st.Gid));
        Assert.Equal(0x1EDu, st.Permissions); // 0755: setuid is not handed to whoever restores
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(_dir["nobody/tool"]));
    }

    [Fact]
    public void APathNotInTheSnapshotIsAnError()
    {
        Directory.CreateDirectory(_dir["src"]);
        Run("init", _dir["src"]);
        Run("snapshot");
        var r = TimeTravelCli.Run(_dir["store"], "restore", "latest", _dir["src/none"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("none: not in snapshot", r.Stderr);
    }

    [Fact]
    public void ToAnExistingDirectoryRestoresIntoItAsCpDoes()
    {
        // Regression: --to EXISTING_DIR moved the directory aside to DIR.yesterday~ and put the file in its place.
        string src = _dir["src"];
        Directory.CreateDirectory(src + "/sub");
        File.WriteAllText(src + "/a.txt", "ay\n");
        File.WriteAllText(src + "/sub/b.txt", "bee\n");
        Run("init", src);
        Run("snapshot");
        Directory.CreateDirectory(_dir["into"]);
        File.WriteAllText(_dir["into/mine"], "stays\n");

        var file = Run("restore", "latest", src + "/a.txt", "--to", _dir["into"]);
        Assert.Equal($"create {_dir["into"]}/a.txt\n", file.Stdout);
        Assert.Equal("ay\n", File.ReadAllText(_dir["into/a.txt"]));
        Run("restore", "latest", src + "/sub", "--to", _dir["into"] + "/");
        Assert.Equal("bee\n", File.ReadAllText(_dir["into/sub/b.txt"]));
        Assert.Equal("stays\n", File.ReadAllText(_dir["into/mine"]));
        Assert.False(Path.Exists(_dir["into.yesterday~"]));

        File.WriteAllText(src + "/a.txt", "changed\n");
        Run("restore", "latest", src + "/a.txt", "--to", src + "/a.txt"); // the path itself: in place
        Assert.Equal("ay\n", File.ReadAllText(src + "/a.txt"));

        var slash = TimeTravelCli.Run(_dir["store"], "restore", "latest", src + "/a.txt", "--to", _dir["nodir"] + "/");
        Assert.Equal(1, slash.ExitCode);
        Assert.Contains("no such directory", slash.Stderr);
        Assert.False(Path.Exists(_dir["nodir"]));
    }

    [Fact]
    public void AMissingParentIsRefusedNamingTheTarget()
    {
        Directory.CreateDirectory(_dir["src"]);
        File.WriteAllText(_dir["src/f"], "x\n");
        Run("init", _dir["src"]);
        Run("snapshot");
        var r = TimeTravelCli.Run(_dir["store"], "restore", "latest", _dir["src/f"], "--to", _dir["missing/f"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{_dir["missing/f"]}: cannot restore there: the directory {_dir["missing"]} does not exist", r.Stderr);
        Assert.DoesNotContain(".tt-restore-", r.Stderr);
    }

    [Fact]
    public void AnInterruptedRestoreToANewDirectoryIsFinishedByRunningItAgain()
    {
        // Regression: the second run saw NEW as an existing directory and restored into NEW/src instead.
        string src = _dir["src"];
        for (int d = 0; d < 4; d++)
        {
            Directory.CreateDirectory($"{src}/d{d}");
            for (int f = 0; f < 1500; f++) File.WriteAllText($"{src}/d{d}/f{f}", $"file {d}/{f}\n");
        }
        Run("init", src);
        Run("snapshot");
        string dest = _dir["new"];

        using (var first = TimeTravelCli.Start(_dir["store"], "restore", "latest", src, "--to", dest))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(Directory.Exists(dest + "/d1") && Directory.EnumerateFileSystemEntries(dest + "/d1").Take(20).Count() == 20) && !first.HasExited && DateTime.UtcNow < deadline)
                Thread.Sleep(1);
            first.Kill9();
            var killed = first.Wait();
            Assert.True(killed.ExitCode == 137, $"the restore was to be killed midway: {killed}");
        }
        Assert.False(File.Exists(dest + "/d3/f1499"));
        var other = TimeTravelCli.Run(_dir["store"], "restore", "latest", src + "/d0", "--to", dest);
        Assert.True(other.ExitCode == 1 && other.Stderr.Contains("holds an unfinished restore of another directory"), other.ToString());
        Assert.False(Path.Exists(dest + "/d0/d0"));

        var again = Run("restore", "latest", src, "--to", dest);
        Assert.False(Path.Exists(dest + "/src"), again.ToString());
        foreach (var rel in TimeTravel.Tests.Store.Restore.RestoreAssert.RelativePaths(PathBytes.From(src)))
            TimeTravel.Tests.Store.Restore.RestoreAssert.SameFile(PathBytes.Join(PathBytes.From(src), rel), PathBytes.Join(PathBytes.From(dest), rel));
        TimeTravel.Tests.Store.Restore.RestoreAssert.SameFile(PathBytes.From(src), PathBytes.From(dest));
        Assert.Equal(4, Directory.GetFileSystemEntries(dest).Length); // d0..d3: no marker, no temporaries, no backups
        Assert.Empty(TimeTravel.Tests.Store.Restore.RestoreAssert.Leftovers(dest));
        Assert.Empty(Directory.GetFiles(dest, "*.yesterday~*", SearchOption.AllDirectories));

        // Done: a third run is an ordinary restore into the directory, as cp does.
        var third = Run("restore", "latest", src + "/d0/f0", "--to", dest);
        Assert.Contains($"create {dest}/f0", third.Stdout);
    }
}
