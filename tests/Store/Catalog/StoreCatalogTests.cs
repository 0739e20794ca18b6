// The catalog keeps the root directory's whole node (it has no directory entry elsewhere), and reads records
// written before it did.
using LiteDB;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Catalog;

public class StoreCatalogTests : IDisposable
{
    private readonly TempDir _dir = new("tt-catalog");
    public void Dispose() => _dir.Dispose();

    private static SnapshotRecord Record(Node root) => new()
    {
        Name = "2026-01-01_0000", Time = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600), Sources = ["/"], Root = root,
        Stats = new SnapshotStats { Files = 1 },
    };

    [Fact]
    public void RootDirectoryKeepsXattrsNlinkBlocksAndFlags()
    {
        var acl = new byte[] { 2, 0, 0, 0, 1, 0, 7, 0, 0xff, 0xff, 0xff, 0xff };
        var root = new Node
        {
            Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED, Uid = 0, Gid = 0, Size = 4096, Blocks = 8,
            MTimeNs = 1_700_000_000_123_456_789, CTimeNs = 1_700_000_001_987_654_321, NLink = 1, Flags = NodeFlags.Unreadable,
            Content = new StreamRef(Score.Of("dir"u8), 0, 3),
            Xattrs = [new("security.selinux"u8.ToArray(), "system_u:object_r:root_t:s0\0"u8.ToArray()), new("system.posix_acl_access"u8.ToArray(), acl)],
        };
        string path = _dir["catalog.db"];
        using (var catalog = StoreCatalog.Open(path, readOnly: false, create: true)) catalog.AddSnapshot(Record(root));
        using var reader = StoreCatalog.Open(path, readOnly: true);
        var got = Assert.Single(reader.Snapshots()).Root;
        Assert.True(root.SameMetadata(got), "the root's metadata changed in the catalog");
        Assert.Equal(root.Blocks, got.Blocks);
        Assert.Equal(root.Flags, got.Flags);
        Assert.Equal(root.Content, got.Content);
        Assert.Equal(2, got.Xattrs.Count);
        Assert.Equal(acl, got.Xattrs[1].Value);
    }

    [Fact]
    public void RootRecordedWithoutTheNewFieldsReadsAsEmpty()
    {
        string path = _dir["catalog.db"];
        using (var catalog = StoreCatalog.Open(path, readOnly: false, create: true))
            catalog.AddSnapshot(Record(new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED }));
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared }))
        {
            var col = db.GetCollection("snapshots");
            var doc = col.FindAll().Single();
            foreach (var field in new[] { "xattrs", "nlink", "blocks", "flags" }) doc["root"].AsDocument.Remove(field);
            doc.Remove("check"); // a record of that time had no checksum either
            col.Update(doc);
            db.GetCollection("settings").Delete(StoreCatalog.ChecksumsFrom);
        }
        using var reader = StoreCatalog.Open(path, readOnly: true);
        var root = Assert.Single(reader.Snapshots()).Root;
        Assert.Empty(root.Xattrs);
        Assert.Equal(1UL, root.NLink);
        Assert.Equal(0, root.Blocks);
        Assert.Equal(NodeFlags.None, root.Flags);
    }

    [Fact]
    public void ReaderNeverCreatesACatalog()
    {
        string path = _dir["catalog.db"];
        var e = Assert.Throws<StoreFormatException>(() => StoreCatalog.Open(path, readOnly: true));
        Assert.Contains("the catalog is missing", e.Message);
        Assert.Throws<StoreFormatException>(() => StoreCatalog.Open(path, readOnly: false));
        Assert.False(File.Exists(path));
    }
}
