// A damaged block in the store: the range it holds reads as EIO through the mount, never as wrong bytes;
// everything else still reads, and the mount keeps serving.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Fs.Mounting.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class DamagedStoreTests
{
    private const string Name = "2024-08-01_1200";

    [Fact]
    public void A_corrupt_data_block_reads_as_EIO_never_as_wrong_data_and_the_mount_keeps_serving()
    {
        using var source = SourceTree.Empty();
        string store = TempDir.Create("tt-store-");
        try
        {
            var victim = SourceTree.RandomBytes(3 << 20, 7);
            var other = SourceTree.RandomBytes(1 << 20, 8);
            File.WriteAllBytes(source["victim.bin"], victim);
            File.WriteAllBytes(source["other.bin"], other);
            File.WriteAllText(source["small.txt"], "still fine\n");
            var snapshot = source.Snapshot(store, new DateTimeOffset(2024, 8, 1, 12, 0, 0, TimeSpan.Zero));

            StreamLeaf bad;
            using (var repo = Repository.OpenReader(store))
            {
                var leaves = Damage.DataBlocksOf(repo, snapshot.Root, source["victim.bin"]);
                Assert.True(leaves.Count >= 8, $"victim.bin has only {leaves.Count} blocks");
                bad = leaves[leaves.Count / 2];
                var (arena, loc) = Damage.Locate(repo, bad);
                Damage.FlipBits(arena, loc.Offset + ArenaFormat.RecordHeaderSize + loc.StoredLength / 2, 0x5a);
            }

            using var m = new InProcessMount(store);
            string victimPath = source.In(m.Path, Name, "victim.bin");

            var cat = TestMount.Run("cat", victimPath);
            Assert.NotEqual(0, cat.ExitCode);
            Assert.Contains("Input/output error", cat.Stderr);
            Assert.True(cat.Stdout.Length <= bad.Offset, $"cat printed {cat.Stdout.Length} bytes, the damage starts at {bad.Offset}");
            Assert.True(cat.Stdout.AsSpan().SequenceEqual(victim.AsSpan(0, cat.Stdout.Length)), "cat printed wrong bytes");

            using (var handle = File.OpenHandle(victimPath))
            {
                var buffer = new byte[4096];
                Assert.Throws<IOException>(() => RandomAccess.Read(handle, buffer, bad.Offset + 100));
                Assert.Throws<IOException>(() => RandomAccess.Read(handle, buffer, bad.Offset + bad.Length - 4096));
                // The bytes before and after the damaged block are intact and still readable.
                Assert.Equal(4096, RandomAccess.Read(handle, buffer, 0));
                Assert.True(buffer.AsSpan().SequenceEqual(victim.AsSpan(0, 4096)));
                long after = (bad.Offset + bad.Length + 8191) / 4096 * 4096 + 65536;
                Assert.Equal(4096, RandomAccess.Read(handle, buffer, after));
                Assert.True(buffer.AsSpan().SequenceEqual(victim.AsSpan((int)after, 4096)));
            }

            Assert.Equal(other, File.ReadAllBytes(source.In(m.Path, Name, "other.bin")));
            Assert.Equal("still fine\n", File.ReadAllText(source.In(m.Path, Name, "small.txt")));
            Assert.NotEqual(0, TestMount.Run("cat", victimPath).ExitCode); // asked again: still EIO, still serving
            Assert.True(m.Mount.IsRunning);
            Assert.True(Mounts.IsMounted(m.Path));
            Assert.Contains(m.LogLines(), l => l.Contains("victim.bin"));
        }
        finally { Mounts.RemoveTree(store); }
    }
}
