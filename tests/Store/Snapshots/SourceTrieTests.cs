// SourceTrie.Covers decides for one path what the walker decides level by level; the tracker and the FastVPS importer
// drop what it does not cover. SourceFingerprint changes whenever those rules do.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using Xunit;

namespace TimeTravel.Tests.Store.Snapshots;

public sealed class SourceTrieTests
{
    private static readonly SourceTrie Trie = SourceTrie.Build(
        [new SourceRecord("/srv", ["cache", "*.tmp", "/srv/www/private/**"]), new SourceRecord("/srv/www", ["never-applied"]),
         new SourceRecord("/home/u", [])],
        "/srv/store");

    [Theory]
    [InlineData("/srv", true)]
    [InlineData("/srv/a/b/file", true)]
    [InlineData("/srv/www/never-applied", true)]        // /srv/www is covered by /srv: the outer rules apply
    [InlineData("/srv/cache", false)]
    [InlineData("/srv/a/cache/deep/file", false)]       // under an excluded directory, however deep (regression)
    [InlineData("/srv/a/x.tmp", false)]
    [InlineData("/srv/a/x.tmp/inside", false)]
    [InlineData("/srv/www/private/key", false)]
    [InlineData("/srv/store", false)]                   // the store itself
    [InlineData("/srv/store/journal/segment", false)]
    [InlineData("/home/u/.bashrc", true)]
    [InlineData("/home/u/.timetravel-consistent", false)]              // where btrfs copies are made (ConsistentCopies)
    [InlineData("/srv/a/.timetravel-consistent/store-1/file", false)]
    [InlineData("/home", false)]                        // an ancestor of a source is not in it
    [InlineData("/", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("/srvx/file", false)]
    public void CoversWhatAWalkRecords(string path, bool covered) => Assert.Equal(covered, Trie.Covers(PathBytes.From(path)));

    [Fact]
    public void TheFingerprintChangesWithTheExcludesAndTheStoreOnly()
    {
        var a = SourceFingerprint.Of(new SourceRecord("/srv", ["cache"]), "/store");
        Assert.Equal(a, SourceFingerprint.Of(new SourceRecord("/srv/", ["cache"]), "/store/"));
        Assert.NotEqual(a, SourceFingerprint.Of(new SourceRecord("/srv", []), "/store"));
        Assert.NotEqual(a, SourceFingerprint.Of(new SourceRecord("/srv", ["cache", "*.tmp"]), "/store"));
        Assert.NotEqual(a, SourceFingerprint.Of(new SourceRecord("/srv", ["cache"]), "/other-store"));
    }

    [Fact]
    public void AChangeListRoundTripsAndRejectsATruncatedList()
    {
        byte[][] paths = ["/a"u8.ToArray(), [(byte)'/', 0xff, (byte)' '], "/b/c"u8.ToArray()];
        Assert.Equal(paths, ChangeList.Decode(ChangeList.Encode(paths)));
        Assert.Throws<InvalidDataException>(() => ChangeList.Decode("/a\0/b"u8));
    }
}
