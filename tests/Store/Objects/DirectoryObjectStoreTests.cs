// A directory object store keeps each object as a file under its key, puts whole objects only (a put never leaves a
// part of an object under the key), lists in S3's key order, and refuses keys that would leave the directory.
using TimeTravel.Store.Objects;
using Xunit;

namespace TimeTravel.Tests.Store.Objects;

public class DirectoryObjectStoreTests : IDisposable
{
    private readonly TempDir _dir = new("tt-dirobj");
    private readonly DirectoryObjectStore _store;

    public DirectoryObjectStoreTests() => _store = new DirectoryObjectStore(_dir["objects"]);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PutThenGetReturnsTheBytesAndKeysWithSlashesAreSubdirectories()
    {
        var bytes = Random(100_000, 1);
        _store.Put("arenas/000001.tta", bytes);
        Assert.Equal(bytes, _store.Get("arenas/000001.tta"));
        Assert.True(File.Exists(_dir["objects/arenas/000001.tta"]));
        Assert.Equal(100_000, _store.Size("arenas/000001.tta"));
    }

    [Fact]
    public void PutFileCopiesTheFileAndReplacesAnEarlierObjectWhole()
    {
        _store.Put("a", Random(10, 2));
        var source = _dir["source"];
        var bytes = Random(3_000_000, 3);
        File.WriteAllBytes(source, bytes);
        _store.PutFile("a", source);
        Assert.Equal(bytes, _store.Get("a"));
        Assert.Empty(Directory.GetFiles(_dir["objects"], ObjectKey.TemporaryPrefix + "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void GetRangeReturnsExactlyTheBytesAtTheOffsetAndFewerAtTheEnd()
    {
        var bytes = Random(5000, 4);
        _store.Put("k", bytes);
        var into = new byte[1000];
        Assert.Equal(1000, _store.GetRange("k", 1234, into));
        Assert.Equal(bytes.AsSpan(1234, 1000).ToArray(), into);
        Assert.Equal(500, _store.GetRange("k", 4500, into));
        Assert.Equal(bytes.AsSpan(4500, 500).ToArray(), into.AsSpan(0, 500).ToArray());
        Assert.Equal(0, _store.GetRange("k", 5000, into));
    }

    [Fact]
    public void AMissingObjectIsObjectNotFoundAndHasNoSize()
    {
        Assert.Throws<ObjectNotFoundException>(() => _store.Get("nothing/here"));
        Assert.Throws<ObjectNotFoundException>(() => _store.GetRange("nothing", 0, new byte[10]));
        Assert.Null(_store.Size("nothing"));
    }

    [Fact]
    public void ListReturnsEveryKeyUnderThePrefixInKeyOrderWithSizes()
    {
        foreach (var key in new[] { "index/b", "arenas/2", "arenas/10", "arenas/1", "arenasX", "catalog/host/x" })
            _store.Put(key, new byte[key.Length]);
        Assert.Equal(["arenas/1", "arenas/10", "arenas/2"], _store.List("arenas/").Select(e => e.Key));
        Assert.Equal(["arenas/1", "arenas/10", "arenas/2", "arenasX"], _store.List("arenas").Select(e => e.Key));
        Assert.Equal(["arenas/1", "arenas/10"], _store.List("arenas/1").Select(e => e.Key));
        Assert.Equal(6, _store.List("").Count);
        var entry = _store.List("catalog/h").Single();
        Assert.Equal(("catalog/host/x", 14L), (entry.Key, entry.Size));
        Assert.InRange(entry.Modified, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Empty(_store.List("none/"));
    }

    [Fact]
    public void ListSkipsAPutStillBeingWritten()
    {
        _store.Put("arenas/1", [1]);
        File.WriteAllBytes(_dir[$"objects/arenas/{ObjectKey.TemporaryPrefix}123-abc"], [1, 2]);
        Assert.Equal(["arenas/1"], _store.List("").Select(e => e.Key));
    }

    [Fact]
    public void DeleteRemovesTheObjectAndDeletingAMissingOneSucceeds()
    {
        _store.Put("x/y", [1, 2, 3]);
        _store.Delete("x/y");
        Assert.Null(_store.Size("x/y"));
        _store.Delete("x/y");
        _store.Delete("never/was");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("../escape")]
    [InlineData("a/./b")]
    [InlineData("a/.tt-put-1")]
    public void AKeyThatCouldLeaveTheDirectoryOrHideIsRefusedAndNothingIsWritten(string key)
    {
        var e = Assert.Throws<ArgumentException>(() => _store.Put(key, [1]));
        if (key.Length > 0) Assert.Contains(key, e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir["objects"]));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_dir.Path), p => !p.EndsWith("objects"));
    }

    [Fact]
    public void RequestsAreCountedByKind()
    {
        _store.Put("a", [1]);
        _store.Get("a");
        _store.GetRange("a", 0, new byte[1]);
        _store.Size("a");
        _store.List("");
        _store.Delete("a");
        Assert.Equal("LIST 1, PUT 1, GET 2, HEAD 1, DELETE 1", _store.Requests.ToString());
    }

    internal static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
