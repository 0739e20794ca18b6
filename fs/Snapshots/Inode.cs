// One inode the kernel holds. The kernel may hold hundreds of thousands (readdirplus hands it every entry of every
// directory it lists, in every snapshot walked), so this record is small: 64 bytes for a file, which keeps only its
// parent and its name and finds its recorded node in the parent's (cached) directory when asked; a directory or a
// name at the root also keeps its node. A path is built only for a message.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class Inode
{
    private readonly object _what; // the Node; or, for a non-directory in a directory, just its name
    private readonly object _where; // the parent Inode; or the path itself (the root, the .history view); or a HistoryPlace

    private sealed record HistoryPlace(string Path, byte[] Source, string Viewer);

    /// <summary>An inode whose path (as shown in messages) is given and whose node is kept: the root, .history.</summary>
    public Inode(ulong number, Node node, SnapshotRecord? snapshot, string path)
    {
        Number = number; Snapshot = snapshot; _what = node; _where = path;
    }

    /// <summary>The inode of `node` in directory `parent`; keepNode false keeps the name only (the parent's directory has the node).</summary>
    public Inode(ulong number, Node node, SnapshotRecord? snapshot, Inode parent, bool keepNode = true)
    {
        Number = number; Snapshot = snapshot; _what = keepNode ? node : node.Name; _where = parent;
    }

    public ulong Number { get; }
    public SnapshotRecord? Snapshot { get; }
    public long Lookups;

    /// <summary>A regular file's content, kept from its first read when the kernel opens files itself (no handle).</summary>
    public OpenFile? Opened { get; set; }

    // The root, a link at the root, or a .history directory: attributes and (for a directory) the names in it change
    // as snapshots come and go, so the kernel caches them for a second only.
    public bool AtRoot { get; init; }

    /// <summary>The recorded node when kept (directories, names at the root, .history); else look Name up in Parent.</summary>
    public Node? Node => _what as Node;

    public byte[] Name => _what as byte[] ?? ((Node)_what).Name;

    public Inode? Parent => _where as Inode;

    /// <summary>
    /// A directory of the .history view: `source` is the path it stands for, `viewer` the Credentials.Key of the
    /// caller it was made for (each caller has inodes of their own there, see HistoryView).
    /// </summary>
    public static Inode ForHistory(ulong number, Node node, string path, byte[] source, string viewer) =>
        new(number, node, null, path) { AtRoot = true, Place = new HistoryPlace(path, source, viewer) };

    private HistoryPlace Place { init => _where = value; }

    /// <summary>Set for the directories of the .history view: the source path they stand for.</summary>
    public byte[]? HistoryPath => (_where as HistoryPlace)?.Source;

    /// <summary>Set for the directories of the .history view: whose view they are part of (a Credentials.Key).</summary>
    public string? HistoryViewer => (_where as HistoryPlace)?.Viewer;

    /// <summary>As shown in messages: /SNAPSHOT/etc/fstab. Built on demand from the parents.</summary>
    public string Path => _where switch
    {
        string path => path,
        HistoryPlace place => place.Path,
        Inode parent => (parent.Number == InodeNumbers.Root ? "" : parent.Path) + "/" + PathBytes.Display(Name),
        _ => "?",
    };
}
