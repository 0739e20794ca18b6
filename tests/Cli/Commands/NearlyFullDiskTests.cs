// A store on a filesystem with only a few KiB left (a loop-mounted ext4 without reserved blocks, filled to leave exactly
// N KiB): every writer fails with an error naming the store and the lack of space, within seconds, releases the lock,
// leaves the earlier snapshots readable, and works again once space is freed. LiteDB 5 used to hang forever here.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsRoot]
public sealed class NearlyFullDiskTests : IDisposable
{
    private readonly TempDir _dir = new("tt-nearfull");
    private readonly string _mount, _store, _src, _filler;
    private bool _mounted;

    public NearlyFullDiskTests()
    {
        try
        {
            _mount = _dir["mnt"];
            _store = Path.Combine(_mount, "store");
            _src = _dir["src"];
            _filler = Path.Combine(_mount, "filler");
            Directory.CreateDirectory(_mount);
            Directory.CreateDirectory(_src);
            string image = _dir["fs.img"];
            using (var f = File.Create(image)) f.SetLength(24 << 20);
            Shell.Run("mkfs.ext4", "-q", "-F", "-m", "0", "-b", "4096", image);
            Shell.Run("mount", "-o", "loop", image, _mount);
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

    private long FreeKiB() => new DriveInfo(_mount).AvailableFreeSpace >> 10;

    // Fills the filesystem so that exactly `kib` KiB stay free: one large file, then 4 KiB files (a block each) to the
    // exact level (the large file's extent blocks make its own size inexact).
    private void LeaveFree(long kib)
    {
        FreeSpace();
        Directory.CreateDirectory(_filler);
        long fill = FreeKiB() - kib - 256;
        if (fill > 0) Shell.Run("fallocate", "-l", (fill << 10).ToString(), Path.Combine(_filler, "large"));
        var block = new byte[4096];
        for (int i = 0; FreeKiB() > kib; i++) File.WriteAllBytes(Path.Combine(_filler, $"small{i}"), block);
        Shell.Run("sync");
        Assert.Equal(kib, FreeKiB());
    }

    private void FreeSpace()
    {
        if (Directory.Exists(_filler)) Directory.Delete(_filler, recursive: true);
        Shell.Run("sync");
    }

    private List<string> Names() =>
        JsonDocument.Parse(TimeTravelCli.Run(_store, "list", "--json").Stdout).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToList();

    private static CliResult RunBriefly(string store, params string[] args)
    {
        using var r = TimeTravelCli.Start(store, args);
        return r.Wait(timeoutMs: 30_000); // a hang fails the test (and the process is killed) instead of blocking it
    }

    private void AssertFailedForLackOfSpace(CliResult r, long kib)
    {
        Assert.True(r.ExitCode == 1, $"with {kib} KiB free: {r}");
        Assert.Matches("(?i)no space left|disk full|free on", r.Stderr);
        Assert.Contains(_store, r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.DoesNotContain("damaged", r.Stderr);
    }

    [Fact]
    public void EveryFreeSpaceLevelUpTo128KiBGivesAClearErrorReleasesTheLockAndLosesNothing()
    {
        string first = Path.Combine(_src, "first.bin");
        File.WriteAllBytes(first, SourceFiles.Random(200_000, 1));
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        for (int i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(_src, $"early{i}"), $"early {i}");
            var ok = TimeTravelCli.Run(_store, "snapshot");
            Assert.True(ok.ExitCode == 0, ok.ToString());
        }
        var names = Names();

        for (long kib = 0; kib <= 128; kib += 4)
        {
            File.WriteAllText(Path.Combine(_src, $"at{kib}"), $"changed with {kib} KiB free");
            LeaveFree(kib);
            AssertFailedForLackOfSpace(RunBriefly(_store, "snapshot"), kib);
            AssertFailedForLackOfSpace(RunBriefly(_store, "forget", names[0]), kib);
            Assert.False(File.Exists(Path.Combine(_store, "lock.owner")), $"with {kib} KiB free the writer lock was left held");

            FreeSpace();
            Assert.Equal(names, Names());
            Assert.Equal(File.ReadAllBytes(first), TimeTravelCli.Run(_store, "cat", names[^1], first).StdoutBytes);
            var after = RunBriefly(_store, "snapshot");
            Assert.True(after.ExitCode == 0, $"after {kib} KiB free, with space again: {after}");
            names = Names();
        }
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    // The room check cannot see another process fill the disk during a catalog write. Such a write (the check skipped,
    // as if the disk filled just after it) must still end with a clear error and the lock released, not hang: LiteDB's
    // writer thread dies on ENOSPC and the write would wait for it for ever.
    [Fact]
    public void ACatalogWriteCaughtByAFullDiskEndsWithAClearErrorInsteadOfHanging()
    {
        File.WriteAllBytes(Path.Combine(_src, "first.bin"), SourceFiles.Random(200_000, 2));
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode);
        File.WriteAllText(Path.Combine(_src, "second"), "second");
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode);
        var names = Names();
        var noRoomCheck = new Dictionary<string, string> { ["TIMETRAVEL_TEST_NO_CATALOG_ROOM"] = "1" };
        int gaveUp = 0;
        for (long kib = 0; kib <= 64; kib += 4)
        {
            File.WriteAllText(Path.Combine(_src, $"at{kib}"), $"changed with {kib} KiB free");
            LeaveFree(kib);
            foreach (var args in new[] { new[] { "snapshot" }, new[] { "forget", names[0] } })
            {
                CliResult r;
                using (var run = TimeTravelCli.StartWith(noRoomCheck, _store, args)) r = run.Wait(timeoutMs: 60_000); // a hang fails here
                if (r.ExitCode != 0) AssertFailedForLackOfSpace(r, kib);
                if (r.Stderr.Contains("the catalog write did not finish")) gaveUp++;
                Assert.False(File.Exists(Path.Combine(_store, "lock.owner")), $"with {kib} KiB free the writer lock was left held: {r}");
                names = Names();
            }
            FreeSpace();
            var after = RunBriefly(_store, "snapshot");
            Assert.True(after.ExitCode == 0, $"after {kib} KiB free, with space again: {after}");
            names = Names();
        }
        Assert.True(gaveUp > 0, "no level caught LiteDB's writer on a full disk: the test did not exercise the watch");
        var verify = TimeTravelCli.Run(_store, "verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
