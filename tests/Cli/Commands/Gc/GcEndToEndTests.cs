// The whole life through the CLI: 40 daily snapshots of a changing tree, a retention policy that keeps 7, gc; then `verify --read-data`
// is clean, every kept snapshot reads through a real mount byte for byte as it was taken, and the store is no larger
// than 1.15 times a fresh store holding the same 7 trees.
using System.Text.Json;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

[NeedsFuse]
public sealed class GcEndToEndTests
{
    [Fact]
    public void Gc_after_a_policy_keeps_7_of_40_daily_snapshots_keeps_them_intact_and_shrinks_the_store_to_a_fresh_stores_size()
    {
        using var s = new GcStore("tt-gc-e2e");
        var first = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero); // a Tuesday; day 39 is Saturday 9 February
        for (int day = 0; day < 40; day++) { if (day > 0) s.Day(); s.Snapshot(first.AddDays(day).ToString("O")); }
        // The last 3 days, the newest of each of the last 4 ISO weeks, and of the last 2 months.
        var forget = JsonDocument.Parse(GcStore.Ok(s.Tt("forget", "--keep-daily", "3", "--keep-weekly", "4", "--keep-monthly", "2", "--json")).Stdout).RootElement;
        var keep = forget.GetProperty("kept").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToHashSet();
        Assert.Equal(["2030-01-20_1200", "2030-01-27_1200", "2030-01-31_1200", "2030-02-03_1200", "2030-02-07_1200", "2030-02-08_1200", "2030-02-09_1200"],
            keep.Order().ToArray());
        Assert.Equal(33, forget.GetProperty("forgotten").GetArrayLength());
        long before = s.ArenaBytes();

        var dry = s.Gc("--dry-run");
        Assert.True(dry.GetProperty("planFreesBytes").GetInt64() > before / 5, dry.ToString()); // a quarter of the arenas is garbage
        Assert.Equal(before, s.ArenaBytes()); // --dry-run changes nothing

        var gc = s.Gc();
        Assert.True(gc.GetProperty("freedBytes").GetInt64() > 0, gc.ToString());
        Assert.Equal(7, gc.GetProperty("snapshots").GetInt32());
        s.VerifyClean();

        string mountPoint = TempDir.Create("tt-gc-mnt-");
        using var fresh = new GcStore("tt-gc-fresh", files: 0);
        try
        {
            using (var m = new InProcessMount(s.Store, mountPoint))
                foreach (var name in keep)
                {
                    string dir = Path.Combine(m.Path, name) + s.Source;
                    s.AssertSame(name, dir);
                    // The same tree into a fresh store, through the mount.
                    foreach (var f in Directory.GetFiles(fresh.Source)) File.Delete(f);
                    foreach (var f in Directory.GetFiles(dir)) File.Copy(f, Path.Combine(fresh.Source, Path.GetFileName(f)));
                    GcStore.Ok(fresh.Tt("snapshot"));
                }
        }
        finally { Mounts.RemoveTree(mountPoint); }

        long after = s.ArenaBytes(), freshBytes = fresh.ArenaBytes();
        Assert.True(after <= freshBytes * 1.15, $"after gc {after} bytes of arenas, a fresh store of the same 7 trees {freshBytes}");
        // Nothing left to do: a second gc frees nothing and the figures agree.
        Assert.Equal(0, s.Gc("--dry-run").GetProperty("planFreesBytes").GetInt64());
    }
}
