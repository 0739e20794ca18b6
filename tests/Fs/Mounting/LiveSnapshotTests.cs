// A snapshot taken while the store is mounted shows up in the mount's root at the watcher's next look (once a second), without a
// remount, and `latest` and the day's link move on to it; one removed disappears as quickly, and the links move back.
using TimeTravel.Store;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class LiveSnapshotTests
{
    private static string[] RootNames(string mountPoint) =>
        TestMount.Run("ls", "-1", mountPoint).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string ReadLink(string path) => TestMount.Run("readlink", path).Text.TrimEnd('\n');

    [Fact]
    public void A_snapshot_taken_while_mounted_appears_and_latest_moves_to_it()
    {
        using var source = SourceTree.Empty();
        string store = TempDir.Create("tt-store-");
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
            // The watcher looks every second; the margin is for a loaded machine (tests check behaviour, not time).
            Assert.True(Mounts.WaitUntil(() => RootNames(m.Path).Contains("2024-07-01_1730"), TimeSpan.FromSeconds(10)), "the new snapshot never appeared");
            Assert.True(Mounts.WaitUntil(() => Directory.Exists(m["2024-07-01_1730"]), TimeSpan.FromSeconds(10)), "listed but not found by name");
            Assert.True(Mounts.WaitUntil(() => ReadLink(m["latest"]) == "2024-07-01_1730", TimeSpan.FromSeconds(10)), $"latest still points at {ReadLink(m["latest"])}");
            Assert.Equal("2024-07-01_1730", ReadLink(m["2024-07-01"]));
            Assert.Equal(["2024-07-01", "2024-07-01_0900", "2024-07-01_1730", "latest"], RootNames(m.Path));
            Assert.Equal("second!\n", File.ReadAllText(source.In(m.Path, "latest", "file.txt")));
            Assert.Equal("first\n", File.ReadAllText(source.In(m.Path, "2024-07-01_0900", "file.txt")));
        }
        finally { Mounts.RemoveTree(store); }
    }

    [Fact]
    public void A_snapshot_removed_while_mounted_disappears_and_latest_moves_back_while_open_files_still_read()
    {
        using var source = SourceTree.Empty();
        string store = TempDir.Create("tt-store-");
        try
        {
            File.WriteAllText(source["file.txt"], "first\n");
            source.Snapshot(store, new DateTimeOffset(2024, 7, 1, 9, 0, 0, TimeSpan.Zero));
            File.WriteAllText(source["file.txt"], "second\n");
            var second = source.Snapshot(store, new DateTimeOffset(2024, 7, 2, 9, 0, 0, TimeSpan.Zero));
            using var m = new InProcessMount(store);
            Assert.Equal(["2024-07-01", "2024-07-01_0900", "2024-07-02", "2024-07-02_0900", "latest"], RootNames(m.Path));
            long rootMtime = new DateTimeOffset(Directory.GetLastWriteTimeUtc(m.Path)).ToUnixTimeSeconds();
            using var open = File.OpenRead(source.In(m.Path, "latest", "file.txt"));

            Thread.Sleep(1100); // so the catalog's new mtime differs by a second at least
            using (var repo = Repository.OpenWriter(store, "test: forget a snapshot"))
                repo.Catalog.ForgetSnapshots([second.Id]); // throws when the id is not in the catalog
            Assert.True(Mounts.WaitUntil(() => !RootNames(m.Path).Contains("2024-07-02_0900"), TimeSpan.FromSeconds(10)), "the removed snapshot is still listed");
            Assert.True(Mounts.WaitUntil(() => !Directory.Exists(m["2024-07-02_0900"]), TimeSpan.FromSeconds(10)), "the removed snapshot is still found by name");
            Assert.True(Mounts.WaitUntil(() => ReadLink(m["latest"]) == "2024-07-01_0900", TimeSpan.FromSeconds(10)), $"latest still points at {ReadLink(m["latest"])}");
            Assert.Equal(["2024-07-01", "2024-07-01_0900", "latest"], RootNames(m.Path));
            Assert.Equal("first\n", File.ReadAllText(source.In(m.Path, "latest", "file.txt")));
            Assert.True(new DateTimeOffset(Directory.GetLastWriteTimeUtc(m.Path)).ToUnixTimeSeconds() > rootMtime, "the root's mtime did not move");
            Assert.Equal("second\n", new StreamReader(open).ReadToEnd()); // its blocks are still in the store
            Assert.Empty(m.LogLines());
        }
        finally { Mounts.RemoveTree(store); }
    }
}
