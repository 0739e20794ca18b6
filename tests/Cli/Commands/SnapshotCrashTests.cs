// Crash safety: snapshots killed with SIGKILL, a second writer, readers during a snapshot.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

/// <summary>Snapshots killed with SIGKILL part way, concurrent writers, and readers during a snapshot.</summary>
public class SnapshotCrashTests : IDisposable
{
    private readonly TempDir _dir = new("tt-crash");
    private readonly string _src, _store;
    private readonly Dictionary<string, byte[]> _firstSnapshotFiles = [];

    public SnapshotCrashTests()
    {
        try
        {
            _src = _dir["src"];
            _store = _dir["store"];
            Directory.CreateDirectory(_src);
            for (int i = 0; i < 20; i++)
            {
                var content = SourceFiles.Random(1000 + i * 5000, 500 + i);
                File.WriteAllBytes(Path.Combine(_src, $"early{i}"), content);
                _firstSnapshotFiles[Path.Combine(_src, $"early{i}")] = content;
            }
            Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
            var first = TimeTravelCli.Run(_store, "snapshot");
            Assert.True(first.ExitCode == 0, first.ToString());
        }
        catch { Dispose(); throw; } // xunit disposes only what it constructed
    }

    public void Dispose() => _dir.Dispose();

    private string LockOwner => Path.Combine(_store, "lock.owner");

    private TimeTravelCli.Running StartSnapshotAndWaitForTheLock()
    {
        var run = TimeTravelCli.Start(_store, "snapshot");
        var clock = Stopwatch.StartNew();
        while (!HeldBy(run.Pid)) // a killed writer leaves its lock.owner behind: wait for this one's
        {
            if (run.HasExited) throw new Xunit.Sdk.XunitException("snapshot ended before taking the lock: " + run.Wait());
            if (clock.ElapsedMilliseconds > 20_000) throw new TimeoutException("snapshot never took the writer lock");
            Thread.Sleep(5);
        }
        return run;
    }

    private bool HeldBy(int pid)
    {
        try { return File.ReadAllText(LockOwner).StartsWith($"pid {pid} "); }
        catch (IOException) { return false; }
    }

    private void AssertFirstSnapshotReadsBack()
    {
        using var repo = Repository.OpenReader(_store);
        var first = repo.Catalog.Snapshots()[0];
        foreach (var (path, content) in _firstSnapshotFiles)
        {
            var node = repo.Trees.Resolve(first.Root, PathBytes.Components(PathBytes.From(path)))!;
            Assert.Equal(content, repo.Trees.Streams.ReadAll(node.Content));
        }
    }

    private void AssertVerifies()
    {
        var verify = TimeTravelCli.Run(_store, "verify", "--read-data");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public void SnapshotKilledAtAnyPointLeavesTheStoreIntactAndTheNextOneCompletes()
    {
        var big = SourceFiles.RandomTree(Path.Combine(_src, "big"), 300L << 20, 10 << 20, seed: 1);
        // Kill points well inside the snapshot: a 300 MiB snapshot takes about a second here, less once blocks exist.
        foreach (int delayMs in new[] { 0, 50, 150, 300 })
        {
            using (var run = StartSnapshotAndWaitForTheLock())
            {
                Thread.Sleep(delayMs);
                run.Kill9();
                run.Wait();
            }
            AssertVerifies();
            AssertFirstSnapshotReadsBack();
            Assert.Single(JsonDocument.Parse(TimeTravelCli.Run(_store, "list", "--json").Stdout).RootElement.EnumerateArray());
        }

        var last = TimeTravelCli.Run(_store, "snapshot", "--json");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.True(JsonDocument.Parse(last.Stdout).RootElement.GetProperty("complete").GetBoolean());
        AssertVerifies();
        AssertFirstSnapshotReadsBack();
        using var repo = Repository.OpenReader(_store);
        var snaps = repo.Catalog.Snapshots();
        Assert.Equal(2, snaps.Count);
        Assert.All(snaps, s => Assert.True(s.Complete));
        foreach (var path in big)
        {
            var node = repo.Trees.Resolve(snaps[1].Root, PathBytes.Components(PathBytes.From(path)))!;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var leaf in repo.Trees.Streams.Leaves(node.Content)) sha.AppendData(repo.Blocks.Get(leaf.Score));
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(path)), sha.GetHashAndReset());
        }
    }

    [Fact]
    public void SecondWriterIsRefusedNamingTheHolderWhileReadersWork()
    {
        // The writer is stopped (SIGSTOP) once it holds the lock, so it is mid-snapshot for as long as the second
        // writer and the readers take, however loaded the machine; the big tree makes it still be reading then.
        SourceFiles.RandomTree(Path.Combine(_src, "big"), 400L << 20, 10 << 20, seed: 2);
        using var run = StartSnapshotAndWaitForTheLock();
        run.Signal("STOP");

        var early = Path.Combine(_src, "early3");
        CliResult second, list, cat;
        bool stillRunning;
        try
        {
            using (var s = TimeTravelCli.Start(_store, "snapshot"))
            using (var l = TimeTravelCli.Start(_store, "list", "--json"))
            using (var c = TimeTravelCli.Start(_store, "cat", "latest", early))
                (second, list, cat) = (s.Wait(), l.Wait(), c.Wait());
            stillRunning = !run.HasExited && HeldBy(run.Pid);
        }
        finally { run.Signal("CONT"); }

        Assert.True(stillRunning, "the snapshot finished before it was stopped; the test proved nothing");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"pid {run.Pid}", second.Stderr);
        Assert.Contains("locked", second.Stderr);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.True(cat.ExitCode == 0, cat.ToString());
        Assert.Equal(_firstSnapshotFiles[early], cat.StdoutBytes);

        var done = run.Wait();
        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.False(File.Exists(LockOwner));
        Assert.Equal(2, JsonDocument.Parse(TimeTravelCli.Run(_store, "list", "--json").Stdout).RootElement.GetArrayLength());
    }
}
