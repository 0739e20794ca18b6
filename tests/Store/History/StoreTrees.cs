// Builds snapshots straight through the store API, with no source tree: files, directories and symlinks as nodes,
// blocks put with BlockStore.Put and StreamBuilder, snapshots recorded with Catalog.AddSnapshot. Fast enough for a
// thousand snapshots, and able to write what a snapshot never would (for the crafted-store tests).
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Tests.Store.History;

public sealed class StoreTrees(Repository repo)
{
    public const long BaseMTimeNs = 1_700_000_000_000_000_000;

    public Node File(string name, string content, uint mode = 0x1A4, uint uid = 0, uint gid = 0, long mtimeNs = BaseMTimeNs) =>
        File(PathBytes.From(name), System.Text.Encoding.UTF8.GetBytes(content), mode, uid, gid, mtimeNs);

    public Node File(byte[] name, byte[] content, uint mode = 0x1A4, uint uid = 0, uint gid = 0, long mtimeNs = BaseMTimeNs) => new()
    {
        Name = name, Kind = FileKind.Regular, Mode = mode, Uid = uid, Gid = gid, MTimeNs = mtimeNs, CTimeNs = mtimeNs,
        Size = content.Length, Content = Stream(content, BlockType.Data),
    };

    public Node Symlink(string name, string target) => new()
    {
        Name = PathBytes.From(name), Kind = FileKind.Symlink, Mode = 0x1FF, MTimeNs = BaseMTimeNs, LinkTarget = PathBytes.From(target),
        Size = PathBytes.From(target).Length,
    };

    public Node Dir(string name, params Node[] children) => Dir(name, 0x1ED, children);

    public Node Dir(string name, uint mode, params Node[] children)
    {
        var sorted = children.OrderBy(c => c.Name, PathBytes.Comparer).ToList();
        return DirFromBytes(name, mode, sorted.Count == 0 ? null : DirectoryCodec.Encode(sorted));
    }

    /// <summary>A directory whose encoded entries are given as bytes: lets a test write what the encoder refuses.</summary>
    public Node DirFromBytes(string name, uint mode, byte[]? encoded) => new()
    {
        Name = PathBytes.From(name), Kind = FileKind.Directory, Mode = mode, MTimeNs = BaseMTimeNs, Size = 4096,
        Content = encoded is null ? StreamRef.Empty : Stream(encoded, BlockType.Directory),
    };

    /// <summary>"/" holding the given top-level entries.</summary>
    public Node Root(params Node[] children) => Dir("/", children);

    /// <summary>Nests `leaf` under the directories of an absolute path: At("/tmp/x", f) is / → tmp → x → f.</summary>
    public Node At(string absoluteDir, Node leaf)
    {
        var node = leaf;
        var parts = absoluteDir.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--) node = Dir(parts[i], node);
        return Root(node);
    }

    /// <summary>Makes the blocks put so far durable and indexed (each commit syncs: once per thousand snapshots will do).</summary>
    public void Commit() => repo.Blocks.Commit();

    /// <summary>Records a snapshot of `root` in the catalog; with inCatalog false only builds its record (call Commit later).</summary>
    public SnapshotRecord Snapshot(Node root, DateTimeOffset time, bool inCatalog = true)
    {
        if (inCatalog) Commit();
        var record = new SnapshotRecord
        {
            Name = time.ToString("yyyy-MM-dd_HHmmss"), Time = time, Sources = ["/"], Root = root.WithName("/"u8.ToArray()),
            Stats = new SnapshotStats(),
        };
        return inCatalog ? record with { Id = repo.Catalog.AddSnapshot(record) } : record;
    }

    private StreamRef Stream(byte[] content, BlockType type)
    {
        if (content.Length == 0) return StreamRef.Empty;
        var builder = new StreamBuilder(repo.Blocks);
        builder.AddData(repo.Blocks.Put(content, type), content.Length);
        return builder.Finish();
    }
}
