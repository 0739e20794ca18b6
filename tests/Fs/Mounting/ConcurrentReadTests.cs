// Many readers through the mount while another process writes a new snapshot into the same store: every
// reader gets its file's exact bytes, the writer finishes, and its snapshot then reads back correctly too.
using TimeTravel.Tests.Cli.Support;
using System.Diagnostics;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class ConcurrentReadTests
{
    private const string First = "2024-10-01_0900", Second = "2024-10-01_1000";

    private static void DropPageCache()
    {
        try { File.WriteAllText("/proc/sys/vm/drop_caches", "1"); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Sixteen_parallel_readers_get_exact_bytes_while_a_snapshot_is_written_by_another_process()
    {
        using var readSource = SourceTree.Empty("tt-src-read-");
        using var writeSource = SourceTree.Empty("tt-src-write-");
        string store = TempDir.Create("tt-store-");
        Process? writer = null;
        try
        {
            var files = Enumerable.Range(0, 16).Select(i => SourceTree.RandomBytes((1 << 20) + i * 77_777, 100 + i)).ToArray();
            for (int i = 0; i < files.Length; i++) File.WriteAllBytes(readSource[$"f{i:00}.bin"], files[i]);
            readSource.Snapshot(store, new DateTimeOffset(2024, 10, 1, 9, 0, 0, TimeSpan.Zero));

            var written = Enumerable.Range(0, 6).Select(i => SourceTree.RandomBytes(16 << 20, 200 + i)).ToArray();
            for (int i = 0; i < written.Length; i++) File.WriteAllBytes(writeSource[$"w{i}.bin"], written[i]);
            using (var repo = Repository.OpenWriter(store, "test")) repo.Catalog.AddSource(new SourceRecord(writeSource.Root, []));

            using var m = new InProcessMount(store);
            writer = TimeTravelCli.Spawn("--store", store, "snapshot", "--quiet", "--time", "2024-10-01T10:00:00+00:00");
            var writerStderr = writer.StandardError.ReadToEndAsync();
            var writerStdout = writer.StandardOutput.ReadToEndAsync();

            int rounds = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                DropPageCache(); // so every round reads through FUSE, not the kernel's copy
                Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
                {
                    var bytes = File.ReadAllBytes(readSource.In(m.Path, First, $"f{i:00}.bin"));
                    Assert.True(bytes.AsSpan().SequenceEqual(files[i]), $"f{i:00}.bin read wrong bytes in round {rounds}");
                });
                rounds++;
            } while ((!writer.HasExited || rounds < 3) && clock.Elapsed < TimeSpan.FromSeconds(60));

            Assert.True(writer.WaitForExit(60_000), "the snapshot did not finish");
            Assert.True(writer.ExitCode == 0, $"snapshot failed: {await writerStderr}{await writerStdout}");

            Assert.True(Mounts.WaitUntil(() => Directory.Exists(m[Second]), TimeSpan.FromSeconds(3)), "the new snapshot did not appear");
            Parallel.For(0, written.Length, i =>
                Assert.True(File.ReadAllBytes(writeSource.In(m.Path, Second, $"w{i}.bin")).AsSpan().SequenceEqual(written[i]), $"w{i}.bin"));
            Assert.Equal(files[3], File.ReadAllBytes(readSource.In(m.Path, Second, "f03.bin")));
            Assert.Empty(m.LogLines());
        }
        finally
        {
            if (writer is { HasExited: false }) writer.Kill(entireProcessTree: true);
            writer?.Dispose();
            Mounts.RemoveTree(store);
        }
    }
}
