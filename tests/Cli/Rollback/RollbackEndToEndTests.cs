// `timetravel rollback` end to end with the real tracker on a loop-mounted ext4: a tree of 200,000 small files, a
// checkpoint, a simulated upgrade (new files, replaced binaries, removed files, changed modes and owners, a renamed
// directory, a hard link), then rollback: the tree equals the checkpoint by a manifest of content and metadata and
// the files the upgrade did not touch keep their inode and ctime; --undo returns to the upgraded tree; and a rollback
// killed with SIGKILL at random moments, run again, finishes with the same result.
using System.Diagnostics;
using System.Text.Json;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.IncrementalSnapshots;
using TimeTravel.Tests.Store.Rollback;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Cli.Rollback;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFanotify]
public sealed class RollbackEndToEndTests(ITestOutputHelper output)
{
    private const int Directories = 200, FilesPerDirectory = 1000;

    private static string FileName(int d, int f) => $"tree/d{d:D3}/f{f:D4}";

    /// <summary>200,000 files of 20 to 100 bytes in 200 directories, written with one open, write and close each.</summary>
    private static void BuildTree(string source)
    {
        var rng = new Random(13);
        var buffer = new byte[100];
        for (int d = 0; d < Directories; d++)
        {
            Directory.CreateDirectory(Path.Combine(source, $"tree/d{d:D3}"));
            for (int f = 0; f < FilesPerDirectory; f++)
            {
                rng.NextBytes(buffer);
                using var h = File.OpenHandle(Path.Combine(source, FileName(d, f)), FileMode.CreateNew, FileAccess.Write);
                RandomAccess.Write(h, buffer.AsSpan(0, 20 + f % 81), 0);
            }
        }
    }

    /// <summary>About 2,000 changed paths, as a package upgrade makes them; returns the paths it touched.</summary>
    private static HashSet<string> Upgrade(string source)
    {
        var touched = new HashSet<string>();
        string P(string rel) { touched.Add(rel); return Path.Combine(source, rel); }
        Directory.CreateDirectory(P("tree/new-package"));
        for (int i = 0; i < 600; i++) File.WriteAllText(P($"tree/new-package/file{i:D3}"), $"new {i}\n");
        for (int i = 0; i < 500; i++) // binaries replaced the dpkg way: written beside, renamed over
        {
            string target = P(FileName(i % 50, i)), temp = target + ".dpkg-new";
            File.WriteAllText(temp, $"version 2 of {i}\n");
            File.Move(temp, target, overwrite: true);
        }
        for (int i = 0; i < 300; i++) File.Delete(P(FileName(60 + i % 20, 500 + i)));
        for (int i = 0; i < 300; i++) File.SetUnixFileMode(P(FileName(100 + i % 30, 100 + i)), (UnixFileMode)0x1ED);
        for (int i = 0; i < 300; i++) PosixFs.LChown(PathBytes.From(P(FileName(130 + i % 30, 100 + i))), 1000 + (uint)i, 100);
        // A renamed directory (its 1,000 files go with it) and a hard link between two names.
        Directory.Move(P("tree/d190"), P("tree/d190-renamed"));
        PosixFs.HardLink(PathBytes.From(P(FileName(191, 1))), PathBytes.From(P("tree/d191/f0001.link")));
        touched.Add(FileName(191, 1));
        return touched;
    }

    [Fact]
    public void RollbackToACheckpointUndoAndKilledRerunsAllEndAtTheExpectedTree()
    {
        using var box = new IncrementalSnapshotSandbox(2L << 30, "-b", "1024", "-N", "400000");
        var clock = Stopwatch.StartNew();
        BuildTree(box.Source);
        box.Init();
        using var tracker = box.StartTracker();
        var checkpoint = box.Snapshot();
        Assert.Equal(0, box.Cli("pin", checkpoint.Name, "--note", "checkpoint").ExitCode);
        var atCheckpoint = TreeManifest.Of(box.Source);
        Assert.Equal(1 + 1 + Directories + Directories * FilesPerDirectory, atCheckpoint.Count);
        output.WriteLine($"tree, checkpoint and manifest: {clock.Elapsed.TotalSeconds:0.0} s");

        var touched = Upgrade(box.Source);
        var upgraded = TreeManifest.Of(box.Source);
        var untouched = Enumerable.Range(0, 2000).Select(i => FileName(i % 180, 900 + i % 100)).Where(p => !touched.Contains(p)).Distinct()
            .ToDictionary(p => p, p => PosixFs.LStat(PathBytes.From(Path.Combine(box.Source, p))));

        var dry = box.Cli("rollback", checkpoint.Name, "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(upgraded, TreeManifest.Of(box.Source));

        clock.Restart();
        var rollback = box.Cli("rollback", checkpoint.Name, "--json");
        var took = clock.Elapsed;
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        using (var json = JsonDocument.Parse(rollback.Stdout))
        {
            var r = json.RootElement;
            output.WriteLine($"rollback: {took.TotalSeconds:0.00} s; {r.GetProperty("method").GetString()}; created {r.GetProperty("created")}, " +
                $"replaced {r.GetProperty("replaced")}, metadata {r.GetProperty("metadata")}, removed {r.GetProperty("removed")}");
            Assert.Equal(0, r.GetProperty("failed").GetInt32());
        }
        var after = TreeManifest.Of(box.Source);
        Assert.True(atCheckpoint.SequenceEqual(after), TreeManifest.Difference(atCheckpoint, after));
        foreach (var (p, st) in untouched)
        {
            var now = PosixFs.LStat(PathBytes.From(Path.Combine(box.Source, p)));
            Assert.True((st.Inode, st.CTimeNs) == (now.Inode, now.CTimeNs), $"{p} was touched by the rollback");
        }

        var undo = box.Cli("rollback", "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        after = TreeManifest.Of(box.Source);
        Assert.True(upgraded.SequenceEqual(after), TreeManifest.Difference(upgraded, after));

        // Killed at random moments of a rollback from the upgraded tree to the checkpoint, then run again: the rerun
        // finishes the job. The first kill comes while the undo snapshot is taken; the others once the rollback is
        // recorded as running, at a random moment of changing the files. Between rounds --undo makes it upgraded again.
        var rng = new Random(7);
        string state = Path.Combine(box.Store, "rollback");
        int interrupted = 0;
        for (int round = 0; round < 4; round++)
        {
            if (round > 0)
            {
                var again = box.Cli("rollback", "--undo");
                Assert.True(again.ExitCode == 0, again.ToString());
            }
            using (var running = TimeTravel.Tests.Cli.Support.TimeTravelCli.Start(box.Store, "rollback", checkpoint.Name))
            {
                var waited = Stopwatch.StartNew();
                if (round == 0) Thread.Sleep(TimeSpan.FromSeconds(0.5 * rng.NextDouble() * took.TotalSeconds));
                else
                {
                    while (!running.HasExited && !File.ReadAllText(state).Contains("phase running") && waited.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
                    Thread.Sleep(TimeSpan.FromSeconds(rng.NextDouble() * 0.4 * took.TotalSeconds));
                }
                bool finished = running.HasExited;
                running.Kill9();
                running.Wait();
                bool midway = File.ReadAllText(state).Contains("phase running");
                if (midway) interrupted++;
                output.WriteLine(finished ? "finished before the kill" : $"killed after {waited.Elapsed.TotalSeconds:0.00} s {(midway ? "while changing files" : "before changing files")}");
                if (finished) continue;
                var rerun = box.Cli("rollback", checkpoint.Name);
                Assert.True(rerun.ExitCode == 0, rerun.ToString());
                if (midway) Assert.Contains("finishing the interrupted rollback", rerun.Stderr);
                output.WriteLine(rerun.Stderr);
            }
            after = TreeManifest.Of(box.Source);
            Assert.True(atCheckpoint.SequenceEqual(after), $"round {round}: " + TreeManifest.Difference(atCheckpoint, after));
            Assert.Empty(Directory.EnumerateFileSystemEntries(box.Source, ".tt-restore-*", SearchOption.AllDirectories));
        }
        Assert.True(interrupted > 0, "no kill came while the rollback was changing files");
        tracker.Stop();
    }
}
