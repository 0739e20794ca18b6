// A disk that fills while gc copies (a loop-mounted ext4, filled by the test while gc is paused after choosing its
// victims): gc stops with an error naming the arena and the space it needs, removes what it wrote, and loses nothing;
// once there is room again the next gc does the job.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

[NeedsRoot]
public sealed class GcFullDiskTests : IDisposable
{
    private readonly TempDir _dir = new("tt-gc-full");
    private readonly string _mount;
    private bool _mounted;

    public GcFullDiskTests()
    {
        try
        {
            _mount = _dir["mnt"];
            Directory.CreateDirectory(_mount);
            string image = _dir["fs.img"];
            using (var f = File.Create(image)) f.SetLength(112 << 20); // room for gc's 64 MiB reserve and the store
            Shell.Run("mkfs.ext4", "-q", "-F", "-m", "0", "-b", "4096", image);
            Shell.Run("mount", "-o", "loop", image, _mount);
            _mounted = true;
        }
        catch { Dispose(); throw; }
    }

    public void Dispose()
    {
        if (_mounted && Shell.Try("umount", _mount).Item1 != 0) Shell.Try("umount", "-l", _mount);
        _dir.Dispose();
    }

    [Fact]
    public void A_disk_that_fills_during_the_copy_stops_gc_with_a_message_naming_the_arena_and_nothing_is_lost()
    {
        using var s = new GcStore("tt-gc-fullsrc", files: 30, storePath: Path.Combine(_mount, "store"));
        for (int day = 0; day < 10; day++) { if (day > 0) s.Day(); s.Snapshot(); }
        GcStore.Ok(s.Tt(["forget", .. s.Names().Take(7)]));
        long arenasBefore = s.ArenaBytes();
        string pause = _dir["pause"];
        using var gc = TimeTravelCli.StartWith(new Dictionary<string, string> { ["TIMETRAVEL_TEST_GC_PAUSE"] = $"planned:{pause}" }, s.Store, "gc", "--threshold", "0.99");
        Assert.True(Mounts.WaitUntil(() => File.Exists(pause + ".waiting") || gc.HasExited, TimeSpan.FromSeconds(60)), "gc never reached its pause");
        if (gc.HasExited) Assert.Fail(gc.Wait().ToString());
        // Leave 64 KiB: less than one copied record batch.
        string filler = Path.Combine(_mount, "filler");
        long free = new DriveInfo(_mount).AvailableFreeSpace;
        Shell.Run("fallocate", "-l", (free - (64 << 10)).ToString(), filler);
        File.WriteAllText(pause, "go");
        var r = gc.Wait();
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"arenas/2147483648\.arena: the disk filled while gc copied live blocks", r.Stderr);
        Assert.Contains("nothing was lost", r.Stderr);
        Assert.Empty(Directory.GetFiles(Path.Combine(s.Store, "arenas"), "21474836*.arena"));
        Assert.Equal(arenasBefore, s.ArenaBytes());
        File.Delete(filler);
        s.VerifyClean();

        var done = s.Gc("--threshold", "0.99");
        Assert.True(done.GetProperty("freedBytes").GetInt64() > 0, done.ToString());
        s.VerifyClean();
        foreach (var name in s.Names())
            foreach (var (file, sha) in s.Taken.Last(t => t.Name == name).Files)
                Assert.Equal(sha, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(GcStore.Ok(s.Tt("cat", name, s.Source + "/" + file)).StdoutBytes)));
    }
}
