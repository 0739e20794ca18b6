// `timetravel catalog rebuild` after a gc killed in the middle of its copy: the rebuild finishes or undoes that gc
// first (as `index rebuild` does), so the half-written compacted arena is never read as damage to the store.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

public sealed class GcCatalogRebuildTests
{
    [Fact]
    public void Catalog_rebuild_after_a_gc_killed_mid_copy_undoes_the_gc_and_reports_no_damage()
    {
        using var s = new GcStore("tt-gc-rebuild", files: 24);
        for (int day = 0; day < 6; day++) { if (day > 0) s.Day(); s.Snapshot(); }
        var names = s.Names();
        GcStore.Ok(s.Tt("forget", names[0], names[1]));
        string before = GcStore.Ok(s.Tt("list", "--json")).Stdout;

        // Paused once its copies are written, killed, and its last compacted arena cut in the middle of a record: what a
        // kill during the copy leaves.
        string pause = s["pause"];
        using (var gc = TimeTravelCli.StartWith(new Dictionary<string, string> { ["TIMETRAVEL_TEST_GC_PAUSE"] = $"copied:{pause}" }, s.Store, "gc", "--threshold", "0.95"))
        {
            Mounts.WaitUntil(() => File.Exists(pause + ".waiting") || gc.HasExited, TimeSpan.FromSeconds(60));
            Assert.False(gc.HasExited, "gc ended before copying anything");
            gc.Kill9();
            gc.Wait();
        }
        var compacted = Directory.GetFiles(Path.Combine(s.Store, "arenas"), "*.arena")
            .Where(f => uint.Parse(Path.GetFileNameWithoutExtension(f)) >= 0x8000_0000u).OrderBy(f => f).ToList();
        Assert.NotEmpty(compacted);
        using (var f = new FileStream(compacted[^1], FileMode.Open, FileAccess.Write)) f.SetLength(f.Length - 1000);

        File.Delete(Path.Combine(s.Store, "catalog.db"));
        var rebuilt = TimeTravelCli.Run(s.Store, "catalog", "rebuild", "--json");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
        Assert.DoesNotContain("damage", rebuilt.Stdout + rebuilt.Stderr);
        Assert.All(compacted, f => Assert.False(File.Exists(f), $"{f} of the undone gc is still there"));
        Assert.Equal(Names(before), Names(GcStore.Ok(s.Tt("list", "--json")).Stdout));
        s.VerifyClean();
    }

    private static string Names(string listJson) => string.Join(",", JsonDocument.Parse(listJson).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
}
