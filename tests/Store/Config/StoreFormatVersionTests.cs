// A store keeps the format it was made with: a format 1 store is read and written by this timetravel without ever
// receiving a zstd record, so the timetravel that made it can still read it.
using System.Text;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Config;

public class StoreFormatVersionTests
{
    private static byte[] Base64Text(int seed) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(SourceFiles.Random(48_000, seed), Base64FormattingOptions.InsertLineBreaks));

    private static List<byte> CodecsIn(string store)
    {
        var codecs = new List<byte>();
        foreach (var arena in Directory.GetFiles(Path.Combine(store, "arenas"), "*.arena"))
            codecs.AddRange(ArenaScanner.Scan(arena, 0, new ScanResult()).Select(r => r.Header.Codec));
        return codecs;
    }

    private static void PutAndRead(string store, byte[] content)
    {
        using (var repo = TimeTravel.Store.Repository.OpenWriter(store, "test"))
        {
            var score = repo.Blocks.Put(content, BlockType.Data);
            repo.Blocks.Commit();
            Assert.Equal(content, repo.Blocks.Get(score));
        }
        using var reader = TimeTravel.Store.Repository.OpenReader(store);
        Assert.Equal(content, reader.Blocks.Get(TimeTravel.Store.Scores.Score.Of(content)));
    }

    [Fact]
    public void NewStoresAreFormatFourAndStoreLogTextAsZstd()
    {
        using var dir = new TempDir("tt-format");
        string store = Path.Combine(dir.Path, "store");
        TimeTravel.Store.Repository.Init(store).Dispose();
        Assert.Equal("timetravel-store 4", File.ReadLines(Path.Combine(store, "config")).First());
        PutAndRead(store, Base64Text(1));
        Assert.Contains(ArenaFormat.CodecZstd, CodecsIn(store));
    }

    [Fact]
    public void AFormatOneStoreIsReadAndWrittenWithoutZstd()
    {
        using var dir = new TempDir("tt-format");
        string store = Path.Combine(dir.Path, "store");
        TimeTravel.Store.Repository.Init(store).Dispose();
        string config = Path.Combine(store, "config");
        var lines = File.ReadAllLines(config).Where(l => !l.StartsWith("checksum ")).ToArray(); // format 1 had none
        lines[0] = "timetravel-store 1";
        File.WriteAllLines(config, lines);

        PutAndRead(store, Base64Text(2));
        Assert.DoesNotContain(ArenaFormat.CodecZstd, CodecsIn(store));
        Assert.Equal("timetravel-store 1", File.ReadLines(config).First());
    }
}
