// A snapshot taken while the store is mounted shows up in the mount's root within about two seconds, without a
// remount, and `latest` and the day's link move on to it.
using System.Diagnostics;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

public sealed class LiveSnapshotTests
{
    private static string[] RootNames(string mountPoint) =>
        TestMount.Run("ls", "-1", mountPoint).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string ReadLink(string path) => TestMount.Run("readlink", path).Text.TrimEnd('\n');

    [Fact]
    public void A_snapshot_taken_while_mounted_appears_and_latest_moves_to_it()
    {
        using var source = SourceTree.Empty();
        string store = Mounts.TempDir("tt-store-");
        try
        {
            File.WriteAllText(source["file.txt"], "first\n");
            source.Snapshot(store, new DateTimeOffset(2024, 7, 1, 9, 0, 0, TimeSpan.Zero));
            using var m = new InProcessMount(store);
            Assert.Equal(["2024-07-01", "2024-07-01_0900", "latest"], RootNames(m.Path));
            Assert.Equal("2024-07-01_0900", ReadLink(m["latest"]));
            Assert.Equal("first\n", File.ReadAllText(source.In(m.Path, "latest", "file.txt")));
            Assert.False(Directory.Exists(m["2024-07-01_1730"])); // a negative lookup the kernel may cache

            File.WriteAllText(source["file.txt"], "second!\n");
            source.Snapshot(store, new DateTimeOffset(2024, 7, 1, 17, 30, 0, TimeSpan.Zero));
            var clock = Stopwatch.StartNew();
            Assert.True(Mounts.WaitUntil(() => RootNames(m.Path).Contains("2024-07-01_1730"), TimeSpan.FromSeconds(5)), "the new snapshot never appeared");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"the new snapshot took {clock.Elapsed.TotalSeconds:0.0} s to appear");
            Assert.True(Mounts.WaitUntil(() => Directory.Exists(m["2024-07-01_1730"]), TimeSpan.FromSeconds(2.5)), "listed but not found by name");
            Assert.True(Mounts.WaitUntil(() => ReadLink(m["latest"]) == "2024-07-01_1730", TimeSpan.FromSeconds(2.5)), $"latest still points at {ReadLink(m["latest"])}");
            Assert.Equal("2024-07-01_1730", ReadLink(m["2024-07-01"]));
            Assert.Equal(["2024-07-01", "2024-07-01_0900", "2024-07-01_1730", "latest"], RootNames(m.Path));
            Assert.Equal("second!\n", File.ReadAllText(source.In(m.Path, "latest", "file.txt")));
            Assert.Equal("first\n", File.ReadAllText(source.In(m.Path, "2024-07-01_0900", "file.txt")));
        }
        finally { Mounts.RemoveTree(store); }
    }
}
