// Readers and the writer check an arena's header before using it: a newer version, a foreign magic or a file
// renamed by hand is refused by name and never read as records nor appended to.
using System.Buffers.Binary;
using System.IO.Hashing;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Scores;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Arenas;

public class ArenaHeaderTests : IDisposable
{
    private readonly TempDir _dir = new("tt-arenahdr");
    private readonly string _store;
    private readonly byte[] _content = SourceFiles.Random(100_000, 3);

    public ArenaHeaderTests()
    {
        _store = _dir["store"];
        using var repo = Repository.Init(_store);
        repo.Blocks.Put(_content, BlockType.Data);
        repo.Blocks.Commit();
    }

    public void Dispose() => _dir.Dispose();

    private string Arena => Path.Combine(_store, "arenas", ArenaFormat.FileName(0));

    private byte[] Spoil(Action<byte[]> change, bool fixCrc = true)
    {
        var bytes = File.ReadAllBytes(Arena);
        change(bytes);
        if (fixCrc) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(ArenaFormat.H_CHECKSUM), Crc32.HashToUInt32(bytes.AsSpan(0, ArenaFormat.H_CHECKSUM)));
        File.WriteAllBytes(Arena, bytes);
        return bytes;
    }

    private void AssertRefusedByReaderAndWriter(byte[] spoiled, string problem)
    {
        using (var reader = Repository.OpenReader(_store))
        {
            var e = Assert.Throws<BlockReadException>(() => reader.Blocks.Get(Score.Of(_content)));
            Assert.Contains(Arena, e.Message);
            Assert.Contains(problem, e.Message);
        }
        var w = Assert.Throws<StoreFormatException>(() => Repository.OpenWriter(_store, "test").Dispose());
        Assert.Contains(Arena, w.Message);
        Assert.Contains(problem, w.Message);
        Assert.Equal(spoiled, File.ReadAllBytes(Arena)); // nothing appended, nothing cut off
    }

    [Fact]
    public void NewerArenaVersionIsRefused()
    {
        var spoiled = Spoil(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(ArenaFormat.H_VERSION), 2));
        AssertRefusedByReaderAndWriter(spoiled, "arena format version 2 is newer");
    }

    [Fact]
    public void ForeignMagicIsRefused()
    {
        var spoiled = Spoil(b => "XXXXXXXX"u8.CopyTo(b));
        AssertRefusedByReaderAndWriter(spoiled, "not an arena file");
    }

    [Fact]
    public void HeaderChecksumMismatchIsRefused()
    {
        var spoiled = Spoil(b => b[ArenaFormat.H_CREATED] ^= 1, fixCrc: false);
        AssertRefusedByReaderAndWriter(spoiled, "checksum mismatch");
    }

    [Fact]
    public void ArenaRenamedByHandIsRefused()
    {
        var e = Assert.Throws<StoreFormatException>(() => ArenaHeader.Read(Arena, 1));
        Assert.Contains("the header says arena 0, the file name 1", e.Message);
    }

    [Fact]
    public void CliNamesTheArenaAndExitsWithStatus1()
    {
        string src = _dir["src"];
        Directory.CreateDirectory(src);
        File.WriteAllBytes(Path.Combine(src, "f"), _content);
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot").ExitCode);
        var spoiled = Spoil(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(ArenaFormat.H_VERSION), 2));
        foreach (var args in new[] { new[] { "cat", "latest", Path.Combine(src, "f") }, ["snapshot"] })
        {
            var r = TimeTravelCli.Run(_store, args);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains(Arena, r.Stderr);
            Assert.Contains("version 2 is newer", r.Stderr);
        }
        Assert.Equal(spoiled, File.ReadAllBytes(Arena));
    }
}
