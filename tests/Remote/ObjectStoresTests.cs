// ObjectStores.Open turns the address a user typed into a store: s3:// a bucket, file:// or a path a directory;
// another scheme is refused by name rather than taken for a directory called "http:".
using TimeTravel.Remote;
using TimeTravel.Remote.S3;
using TimeTravel.Store.Objects;
using Xunit;

namespace TimeTravel.Tests.Remote;

public class ObjectStoresTests : IDisposable
{
    private readonly TempDir _dir = new("tt-objstores");

    public void Dispose() => _dir.Dispose();

    private static S3Settings Local() => S3Settings.From(name => name switch
    {
        "AWS_ACCESS_KEY_ID" => "AK", "AWS_SECRET_ACCESS_KEY" => "SK", "AWS_ENDPOINT_URL" => "http://127.0.0.1:1", _ => null,
    });

    [Fact]
    public void AnS3AddressOpensABucketStoreAtItsPrefix()
    {
        using var store = ObjectStores.Open("s3://backups/hosts", Local);
        var s3 = Assert.IsType<S3ObjectStore>(store);
        Assert.Equal("s3://backups/hosts", s3.Location);
    }

    [Fact]
    public void APathOrFileUrlOpensADirectoryStore()
    {
        using (var plain = ObjectStores.Open(_dir["a"], Local))
            Assert.Equal(_dir["a"], Assert.IsType<DirectoryObjectStore>(plain).Location);
        using (var url = ObjectStores.Open("file://" + _dir["b"], Local))
            Assert.Equal(_dir["b"], Assert.IsType<DirectoryObjectStore>(url).Location);
    }

    [Theory]
    [InlineData("http://host/bucket", "no object store of kind 'http'")]
    [InlineData("file://relative", "absolute path")]
    [InlineData("", "may not be empty")]
    [InlineData("s3://B", "bucket name")]
    public void AnAddressOfNoKnownKindIsRefused(string address, string why)
    {
        var e = Assert.Throws<FormatException>(() => ObjectStores.Open(address, Local));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void TheS3SettingsAreNotAskedForADirectory()
    {
        using var store = ObjectStores.Open(_dir["c"], () => throw new S3SettingsException("asked"));
        Assert.IsType<DirectoryObjectStore>(store);
    }
}
