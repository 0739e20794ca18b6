// gc never stops the others: a snapshot taken while gc is paused between writing its new index and switching to it
// deduplicates against a block gc found dead (its content came back) and ends up referencing a block that exists
// (gc revives it at the switch); 8 readers of a mount opened before gc keep reading right bytes while the arenas they
// read from are rewritten and deleted. The pause is the test hook TIMETRAVEL_TEST_GC_PAUSE (store/Collection/GcPause).
using System.Security.Cryptography;
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

[NeedsFuse]
public sealed class GcOnlineTests
{
    [Fact]
    public async Task A_snapshot_and_8_mount_readers_during_gc_all_succeed_and_content_that_came_back_is_revived()
    {
        using var s = new GcStore("tt-gc-online", files: 20);
        byte[] revenant = s.RandomBytes(600_000); // most of an arena: that arena becomes a victim once it is forgotten
        File.WriteAllBytes(Path.Combine(s.Source, "revenant"), revenant);
        string first = s.Snapshot();
        File.Delete(Path.Combine(s.Source, "revenant"));
        for (int day = 0; day < 6; day++) { s.Day(); s.Snapshot(); }
        GcStore.Ok(s.Tt("forget", first));
        string pause = s["pause"];
        string mountPoint = TempDir.Create("tt-gc-mnt-");
        try
        {
            using var m = new InProcessMount(s.Store, mountPoint); // its index is the one from before gc
            var kept = s.Taken.Skip(1).ToList();
            using var gc = TimeTravelCli.StartWith(new Dictionary<string, string> { ["TIMETRAVEL_TEST_GC_PAUSE"] = $"indexed:{pause}" }, s.Store, "gc", "--json");
            Assert.True(Mounts.WaitUntil(() => File.Exists(pause + ".waiting") || gc.HasExited, TimeSpan.FromSeconds(60)), "gc never reached its pause");
            if (gc.HasExited) Assert.Fail(gc.Wait().ToString());

            // The content comes back while gc holds it dead: the snapshot stores nothing new for it.
            File.WriteAllBytes(Path.Combine(s.Source, "revenant"), revenant);
            string back = s.Snapshot();

            var failures = new List<string>();
            using var stop = new CancellationTokenSource();
            var readers = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            {
                int rounds = 0;
                while (!stop.IsCancellationRequested || rounds < 2)
                {
                    var (name, files) = kept[(i + rounds) % kept.Count];
                    foreach (var (file, sha) in files)
                    {
                        try
                        {
                            string got = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(m.Path, name) + s.Source + "/" + file)));
                            if (got != sha) lock (failures) failures.Add($"{name}/{file}: wrong bytes");
                        }
                        catch (IOException e) { lock (failures) failures.Add($"{name}/{file}: {e.Message}"); }
                    }
                    rounds++;
                }
            })).ToArray();

            File.WriteAllText(pause, "go");
            var result = gc.Wait();
            Assert.True(result.ExitCode == 0, result.ToString());
            var json = JsonDocument.Parse(result.Stdout).RootElement;
            Assert.True(json.GetProperty("revivedBlocks").GetInt64() > 0, result.Stdout);
            Assert.True(json.GetProperty("freedBytes").GetInt64() > 0, result.Stdout);
            Assert.Contains(json.GetProperty("rewrittenArenas").EnumerateArray().Concat(json.GetProperty("deletedArenas").EnumerateArray()), _ => true);
            // Make the mount read from the disk again (through its old index and deleted arenas), then stop the readers.
            try { File.WriteAllText("/proc/sys/vm/drop_caches", "3"); } catch (UnauthorizedAccessException) { } catch (IOException) { }
            stop.Cancel();
            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Empty(failures);

            s.VerifyClean();
            Assert.Equal(revenant, File.ReadAllBytes(Path.Combine(m.Path, back) + s.Source + "/revenant"));
            Assert.Equal(revenant, GcStore.Ok(s.Tt("cat", back, s.Source + "/revenant")).StdoutBytes);
        }
        finally { Mounts.RemoveTree(mountPoint); }
    }
}
