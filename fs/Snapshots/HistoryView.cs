// The hidden `.history` directory at the root of the mount: `.history/etc/` lists every name that ever existed
// under /etc in any snapshot (so a deleted file can be found by browsing), and `.history/etc/fstab/` holds one entry
// per distinct version of /etc/fstab, named by the snapshot it first appeared in. A history directory takes the
// owner and mode of the newest version of the directory it stands for, so the kernel lets a user browse the history
// of only what they could list then.
using System.Text;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class HistoryView(SnapshotsView view, TreeReader trees)
{
    public static ReadOnlySpan<byte> Name => ".history"u8;
    private readonly FileHistory _history = new(trees);

    public Inode Root() => Directory(InodeNumbers.ForRootEntry(".history"), ".history"u8.ToArray(), "/"u8.ToArray(), "/.history",
        _history.Versions(view.Repository.Catalog.Snapshots(), "/"u8.ToArray()));

    // A history directory's attributes: the owner and mode of the newest directory at its path, the times of the newest entry.
    private static Inode Directory(ulong ino, byte[] name, byte[] path, string display, IReadOnlyList<FileVersion> versions)
    {
        var newest = versions.LastOrDefault(v => v.Node is { Kind: FileKind.Directory })?.Node;
        var latest = versions.LastOrDefault(v => v.Node is not null)?.Node;
        return Directory(ino, name, path, display, newest, latest);
    }

    private static Inode Directory(ulong ino, byte[] name, byte[] path, string display, Node? newest, Node? latest)
    {
        var node = new Node
        {
            Name = name, Kind = FileKind.Directory,
            Mode = newest?.Mode ?? 0x16D /* 0555 */, Uid = newest?.Uid ?? 0, Gid = newest?.Gid ?? 0,
            MTimeNs = latest?.MTimeNs ?? 0, CTimeNs = latest?.CTimeNs ?? 0,
        };
        return new Inode(ino, node, null, display) { AtRoot = true, HistoryPath = path };
    }

    /// <summary>
    /// Every entry of a history directory: the versions of its path (if it was ever a file), then the names ever
    /// below it, each with its attributes from the same single pass over the snapshots (ChildrenEverUnder).
    /// </summary>
    public IReadOnlyList<Inode> List(Inode dir)
    {
        var snapshots = view.Repository.Catalog.Snapshots();
        var path = dir.HistoryPath!;
        var entries = new List<Inode>();
        foreach (var v in _history.Versions(snapshots, path))
            if (v.Node is { } n && n.Kind != FileKind.Directory) entries.Add(Version(dir, v));
        foreach (var c in _history.ChildrenEverUnder(snapshots, path))
            entries.Add(Directory(InodeNumbers.ForChild(dir.Number, c.Name), c.Name, PathBytes.Join(path, c.Name),
                dir.Path + "/" + PathBytes.Display(c.Name), c.NewestDirectory, c.Latest));
        return entries;
    }

    public Inode? Lookup(Inode dir, byte[] name)
    {
        var snapshots = view.Repository.Catalog.Snapshots();
        var path = dir.HistoryPath!;
        string text = Encoding.UTF8.GetString(name);
        foreach (var v in _history.Versions(snapshots, path))
            if (v.Node is { } n && n.Kind != FileKind.Directory && v.Snapshot.Name == text) return Version(dir, v);
        var child = PathBytes.Join(path, name);
        var versions = _history.Versions(snapshots, child);
        if (versions.Count == 0) return null;
        return Directory(InodeNumbers.ForChild(dir.Number, name), name, child, dir.Path + "/" + PathBytes.Display(name), versions);
    }

    // A version is the file as recorded, under the name of the snapshot that first had it.
    private static Inode Version(Inode dir, FileVersion v)
    {
        var name = Encoding.UTF8.GetBytes(v.Snapshot.Name);
        var node = v.Node!.WithName(name);
        ulong ino = node.LinkId != 0 ? InodeNumbers.ForHardLink(v.Snapshot.Id, node.LinkId) : InodeNumbers.ForChild(dir.Number, name);
        return new Inode(ino, node, v.Snapshot, dir.Path + "/" + v.Snapshot.Name);
    }
}
