// The hidden `.history` directory at the root of the mount: `.history/etc/` lists every name that ever existed
// under /etc in any snapshot (so a deleted file can be found by browsing), and `.history/etc/fstab/` holds one entry
// per distinct version of /etc/fstab, named by the snapshot it first appeared in.
//
// Who may see what is decided here, per caller, not by the kernel: one directory of this view stands for a path
// across every snapshot, while the modes and ACLs of the directories on that path differ from snapshot to snapshot,
// so no one mode of its own could be right. A caller reaches a version only through snapshots in which every
// directory above the file let them search it (modes and ACLs as recorded then, RecordedAccess), and a version is
// named by the first such snapshot that had it; a history directory lists the names found in the snapshots in
// which the caller could list that directory. The kernel still checks each version's own recorded mode and ACL on open.
// Because the kernel's caches (names, attributes, listings) are shared by all users, each caller has inodes of their
// own here (numbers made from Credentials.Key; 0500 and owned by that caller, so a directory handed to another user
// is refused), and names here are never cached (SnapshotFileSystem: entry timeout 0), so every path walk asks again
// as whoever walks. The answers are kept per caller and path until the snapshot list changes.
using System.Collections.Concurrent;
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class HistoryView(SnapshotsView view, TreeReader trees)
{
    public static ReadOnlySpan<byte> Name => ".history"u8;
    private const uint DirectoryMode = 0x140; // 0500: its owner is the caller it was made for
    private const int MaxKept = 4096;        // answers kept (each a path's history for one caller)

    private readonly FileHistory _history = new(trees);
    private readonly ConcurrentDictionary<(string Viewer, string Path), Kept<IReadOnlyList<FileVersion>>> _versions = new();
    private readonly ConcurrentDictionary<(string Viewer, string Path), Kept<IReadOnlyList<ChildEver>>> _children = new();

    // An answer and the snapshot list it was computed from: stale as soon as the list is another.
    private sealed record Kept<T>(IReadOnlyList<SnapshotRecord> Snapshots, T Value);

    public Inode Root(Credentials who)
    {
        var snapshots = view.Snapshots();
        return Directory(InodeNumbers.ForRootEntry(".history\0" + who.Key), ".history"u8.ToArray(), "/"u8.ToArray(), "/.history",
            snapshots.Count > 0 ? snapshots[^1].Root : null, who);
    }

    // A history directory: r-x for the caller it is made for and nobody else; the times of the newest entry they may see.
    private static Inode Directory(ulong ino, byte[] name, byte[] path, string display, Node? latest, Credentials who)
    {
        var node = new Node
        {
            Name = name, Kind = FileKind.Directory, Mode = DirectoryMode, Uid = who.Uid, Gid = who.Gid,
            MTimeNs = latest?.MTimeNs ?? 0, CTimeNs = latest?.CTimeNs ?? 0,
        };
        return Inode.ForHistory(ino, node, display, path, who.Key);
    }

    /// <summary>
    /// Every entry of a history directory `who` may see: the versions of its path (if it was ever a file) they could
    /// reach, then the names below it in the snapshots where they could list it, each with its attributes from the
    /// same single pass over the snapshots (ChildrenEverUnder).
    /// </summary>
    public IReadOnlyList<Inode> List(Inode dir, Credentials who)
    {
        var snapshots = view.Snapshots();
        var path = dir.HistoryPath!;
        var entries = new List<Inode>();
        foreach (var v in Versions(who, snapshots, path))
            if (v.Node is { } n && n.Kind != FileKind.Directory) entries.Add(Version(dir, v));
        foreach (var c in Children(who, snapshots, path))
            entries.Add(Directory(InodeNumbers.ForChild(dir.Number, c.Name), c.Name, PathBytes.Join(path, c.Name),
                dir.Path + "/" + PathBytes.Display(c.Name), c.Latest, who));
        return entries;
    }

    /// <summary>A version of the directory's path named `name`, or a name below it, as far as `who` could reach them; else null.</summary>
    public Inode? Lookup(Inode dir, byte[] name, Credentials who)
    {
        var snapshots = view.Snapshots();
        var path = dir.HistoryPath!;
        string text = Encoding.UTF8.GetString(name);
        foreach (var v in Versions(who, snapshots, path))
            if (v.Node is { } n && n.Kind != FileKind.Directory && v.Snapshot.Name == text) return Version(dir, v);
        var child = PathBytes.Join(path, name);
        // Listed just now (`ls -l` looks up every name it lists): answered from the listing, not from a pass of its own.
        var latest = Listed(who, snapshots, path, name)?.Latest
            ?? Versions(who, snapshots, child).LastOrDefault(v => v.Node is not null)?.Node;
        if (latest is null) return null;
        return Directory(InodeNumbers.ForChild(dir.Number, name), name, child, dir.Path + "/" + PathBytes.Display(name), latest, who);
    }

    // A version is the file as recorded, under the name of the snapshot that first had it (of those `who` could reach it in).
    private static Inode Version(Inode dir, FileVersion v)
    {
        var name = Encoding.UTF8.GetBytes(v.Snapshot.Name);
        var node = v.Node!.WithName(name);
        ulong ino = node.LinkId != 0 ? InodeNumbers.ForHardLink(v.Snapshot.Id, node.LinkId) : InodeNumbers.ForChild(dir.Number, name);
        return new Inode(ino, node, v.Snapshot, dir.Path + "/" + v.Snapshot.Name);
    }

    // The versions of `path` in the snapshots where every directory above it let `who` search it.
    private IReadOnlyList<FileVersion> Versions(Credentials who, IReadOnlyList<SnapshotRecord> snapshots, byte[] path) =>
        Keep(_versions, who, snapshots, path, () =>
            _history.Versions(snapshots, path, who.IsRoot ? null : Searchable(who, PathBytes.Components(path).Count)));

    // The names below the directory `path` in the snapshots where `who` could list it.
    private IReadOnlyList<ChildEver> Children(Credentials who, IReadOnlyList<SnapshotRecord> snapshots, byte[] path) =>
        Keep(_children, who, snapshots, path, () =>
            _history.ChildrenEverUnder(snapshots, path, who.IsRoot ? null : Listable(who, PathBytes.Components(path).Count)));

    // A name in the kept listing of `path` for `who`, if there is one for these snapshots (listable implies reachable).
    private ChildEver? Listed(Credentials who, IReadOnlyList<SnapshotRecord> snapshots, byte[] path, byte[] name)
    {
        if (!_children.TryGetValue((who.Key, Encoding.Latin1.GetString(path)), out var kept) || !ReferenceEquals(kept.Snapshots, snapshots))
            return null;
        var list = kept.Value;
        int lo = 0, hi = list.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2, c = list[mid].Name.AsSpan().SequenceCompareTo(name);
            if (c == 0) return list[mid];
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }

    // Searched down to depth `depth` (the path's own node is not asked about), as far as the path went in the snapshot.
    private static Reaches Searchable(Credentials who, int depth) => along =>
    {
        for (int i = 0; i < along.Length && i < depth; i++)
            if (along[i].Kind == FileKind.Directory && !RecordedAccess.Allows(along[i], who, RecordedAccess.Search)) return false;
        return true;
    };

    // The directory at depth `depth` was there, every directory down to it searchable, and it readable.
    private static Reaches Listable(Credentials who, int depth) => along =>
    {
        if (along.Length != depth + 1) return false;
        foreach (var node in along)
            if (!RecordedAccess.Allows(node, who, RecordedAccess.Search)) return false;
        return RecordedAccess.Allows(along[depth], who, RecordedAccess.Read);
    };

    private static T Keep<T>(ConcurrentDictionary<(string, string), Kept<T>> kept, Credentials who,
        IReadOnlyList<SnapshotRecord> snapshots, byte[] path, Func<T> compute)
    {
        var key = (who.Key, Encoding.Latin1.GetString(path)); // Latin-1 keeps every byte
        if (kept.TryGetValue(key, out var k) && ReferenceEquals(k.Snapshots, snapshots)) return k.Value;
        var value = compute();
        if (kept.Count >= MaxKept) kept.Clear();
        kept[key] = new Kept<T>(snapshots, value);
        return value;
    }
}
