// The read-only snapshot filesystem: the root lists the snapshots (RootListing), each snapshot is its recorded
// tree with owners, modes, times, links, xattrs and ACLs as they were. Snapshots never change, so the kernel may cache
// names, attributes, listings and pages for a long time; only the root changes, and it is cached for a second.
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class SnapshotFileSystem : ILowLevelFileSystem
{
    public const double SnapshotTimeout = 86400; // immutable content: a day
    public const double RootTimeout = 1;         // the snapshot list changes

    private readonly SnapshotsView _view;
    private readonly InodeTable _inodes = new();
    private readonly TreeReader _trees;
    private readonly FileContentReader _content;
    private readonly StoreSpace _space;
    private readonly Action<string> _log;
    private readonly Inode _root;
    private readonly HistoryView _history;

    public SnapshotFileSystem(Repository repo, Action<string>? log = null)
    {
        _view = new SnapshotsView(repo);
        _trees = repo.Trees;
        _log = log ?? (m => Console.Error.WriteLine($"timetravel: {m}"));
        // Every record's CRC-32 is still checked on read (a damaged block is an EIO, never wrong data); recomputing
        // SHA-256 as well cost about half a second of CPU per GiB, so that is left to `timetravel verify --read-data`.
        repo.Blocks.VerifyScoresOnRead = false;
        _content = new FileContentReader(repo.Blocks, _trees.Streams, readAhead: 16);
        _space = new StoreSpace(repo.Layout.Root);
        var rootNode = new Node
        {
            Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED /* 0755 */,
            MTimeNs = new DateTimeOffset(File.GetLastWriteTimeUtc(repo.Layout.Catalog)).ToUnixTimeMilliseconds() * 1_000_000,
        };
        _root = new Inode(InodeNumbers.Root, rootNode, null, "/") { AtRoot = true };
        _inodes.Pin(_root);
        _history = new HistoryView(_view, _trees);
    }

    public InodeTable Inodes => _inodes;

    public void Init(ref FuseConnection c)
    {
        c.TimeGranularity = 1;
        c.MaxReadahead = Math.Max(c.MaxReadahead, 1u << 20); // larger sequential requests: fewer round trips per MiB
        // PosixAcl: the kernel enforces the recorded ACLs (system.posix_acl_access, served by getxattr) on top of
        // default_permissions; without it the kernel checks the mode bits only, whose group bits hold the ACL mask.
        c.Want |= FuseCap.AsyncRead | FuseCap.ParallelDirops | FuseCap.CacheSymlinks | FuseCap.ReaddirPlus | FuseCap.PosixAcl;
        c.Want &= ~FuseCap.ReaddirPlusAuto;
        if ((c.Capable & FuseCap.PosixAcl) == 0)
            _log("the kernel does not offer POSIX ACL support: access is checked on the mode bits only, ACLs are not enforced");
    }

    // Runs a request body; store damage becomes EIO with the path logged, never wrong data or a crash.
    private int Guard(Inode? inode, Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is BlockReadException or BlockNotFoundException or InvalidDataException or IOException)
        {
            _log($"{inode?.Path ?? "?"}: {e.Message}");
            return Errno.EIO;
        }
    }

    public int Lookup(ulong parent, ReadOnlySpan<byte> name, out FuseEntry entry)
    {
        entry = default;
        var dir = _inodes.Get(parent);
        if (dir is null) return Errno.ENOENT;
        Inode? child;
        if (parent == InodeNumbers.Root && name.SequenceEqual(HistoryView.Name))
            child = _history.Root();
        else if (dir.HistoryPath is not null)
        {
            var nameCopy = name.ToArray();
            Inode? found = null;
            int err = Guard(dir, () => { found = _history.Lookup(dir, nameCopy); return 0; });
            if (err != 0) return err;
            if (found is null) { entry.EntryTimeout = RootTimeout; return 0; }
            child = found;
        }
        else if (parent == InodeNumbers.Root)
        {
            var e = _view.Find(Encoding.UTF8.GetString(name));
            if (e is null) { entry.EntryTimeout = RootTimeout; return 0; } // negative entry, re-asked after a second
            child = RootChild(e);
        }
        else
        {
            if (dir.Node.Kind != FileKind.Directory) return Errno.ENOTDIR;
            var nameCopy = name.ToArray();
            Node? node = null;
            int err = Guard(dir, () => { node = _trees.Lookup(dir.Node.Content, nameCopy); return 0; });
            if (err != 0) return err;
            if (node is null) { entry.EntryTimeout = SnapshotTimeout; return 0; }
            child = Child(dir, node);
        }
        child = _inodes.Remember(child);
        entry = EntryOf(child);
        return 0;
    }

    private Inode RootChild(RootEntry e)
    {
        if (e.Kind == RootEntryKind.Snapshot)
            // The id goes into the number too: a snapshot removed and another taken under the same name is a new inode.
            return new Inode(InodeNumbers.ForRootEntry(e.Name + "\0" + e.Snapshot.Id), e.Snapshot.Root.WithName(Encoding.UTF8.GetBytes(e.Name)), e.Snapshot, "/" + e.Name) { AtRoot = true };
        long t = e.Snapshot.Time.ToUnixTimeMilliseconds() * 1_000_000;
        var link = new Node
        {
            Name = Encoding.UTF8.GetBytes(e.Name), Kind = FileKind.Symlink, Mode = 0x1FF, MTimeNs = t, CTimeNs = t,
            LinkTarget = Encoding.UTF8.GetBytes(e.Target), Size = Encoding.UTF8.GetByteCount(e.Target),
        };
        // A link's number includes its target, so a `latest` that moves on is a new inode, never stale.
        return new Inode(InodeNumbers.ForRootEntry(e.Name + "\0" + e.Target), link, e.Snapshot, "/" + e.Name) { AtRoot = true };
    }

    private static Inode Child(Inode dir, Node node)
    {
        ulong ino = node.LinkId != 0 && dir.Snapshot is { } s
            ? InodeNumbers.ForHardLink(s.Id, node.LinkId)
            : InodeNumbers.ForChild(dir.Number, node.Name);
        return new Inode(ino, node, dir.Snapshot, dir.Path + "/" + PathBytes.Display(node.Name));
    }

    private static FuseEntry EntryOf(Inode inode)
    {
        double timeout = inode.AtRoot ? RootTimeout : SnapshotTimeout;
        return new FuseEntry { Attributes = AttributesOf(inode), EntryTimeout = timeout, AttributeTimeout = timeout };
    }

    private static InodeAttributes AttributesOf(Inode inode)
    {
        var n = inode.Node;
        return new InodeAttributes
        {
            Ino = inode.Number,
            Mode = n.StMode,
            NLink = n.Kind == FileKind.Directory ? 1 : Math.Max(1, n.NLink), // 1 for directories: "unknown", as btrfs does
            Uid = n.Uid, Gid = n.Gid, Rdev = n.RDev,
            Size = n.Size, Blocks = n.Blocks, BlockSize = 128 * 1024,
            ATime = UnixTime.FromNanoseconds(n.MTimeNs), MTime = UnixTime.FromNanoseconds(n.MTimeNs), CTime = UnixTime.FromNanoseconds(n.CTimeNs),
        };
    }

    public void Forget(ulong ino, ulong count) => _inodes.Forget(ino, count);

    public int GetAttr(ulong ino, out InodeAttributes attributes, out double timeout)
    {
        attributes = default; timeout = 0;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        attributes = AttributesOf(inode);
        timeout = inode.AtRoot ? RootTimeout : SnapshotTimeout;
        return 0;
    }

    public int ReadLink(ulong ino, out ReadOnlySpan<byte> target)
    {
        target = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        if (inode.Node.Kind != FileKind.Symlink) return Errno.EINVAL;
        target = inode.Node.LinkTarget;
        return 0;
    }

    public int Open(ulong ino, int flags, out OpenResult result)
    {
        result = new OpenResult { KeepCache = true };
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        if (inode.Node.Kind == FileKind.Directory) return Errno.EISDIR;
        return 0;
    }

    public int Read(ulong ino, ulong handle, long offset, Span<byte> buffer, out int bytesRead)
    {
        bytesRead = 0;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        var node = inode.Node;
        if (node.Kind != FileKind.Regular) return Errno.EINVAL;
        if (node.Flags.HasFlag(NodeFlags.Unreadable))
        {
            _log($"{inode.Path}: could not be read when the snapshot was taken; its content is not stored");
            return Errno.EIO;
        }
        try { bytesRead = _content.Read(node.Content, offset, buffer); return 0; }
        catch (Exception e) when (e is BlockReadException or BlockNotFoundException or InvalidDataException or IOException)
        {
            _log($"{inode.Path}: offset {offset}: {e.Message}");
            return Errno.EIO;
        }
    }

    public int OpenDir(ulong ino, int flags, out OpenResult result)
    {
        result = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        if (inode.Node.Kind != FileKind.Directory) return Errno.ENOTDIR;
        bool fixedListing = !inode.AtRoot; // a snapshot's listing never changes; the root's and .history's do
        result = new OpenResult { KeepCache = fixedListing, CacheDirectory = fixedListing };
        return 0;
    }

    public int ReadDir(ulong ino, ulong handle, long offset, ref DirectoryBuffer buffer)
    {
        var dir = _inodes.Get(ino);
        if (dir is null) return Errno.ENOENT;
        if (ino == InodeNumbers.Root)
        {
            var entries = _view.Entries(); // .history is not listed: reachable by name only, as NetApp hides .snapshot
            return Fill(dir, offset, entries.Count, i => RootChild(entries[i]), ref buffer);
        }
        if (dir.HistoryPath is not null)
        {
            IReadOnlyList<Inode>? listing = null;
            int herr = Guard(dir, () => { listing = _history.List(dir); return 0; });
            if (herr != 0) return herr;
            return Fill(dir, offset, listing!.Count, i => listing![i], ref buffer);
        }
        Node[]? children = null;
        int err = Guard(dir, () => { children = _trees.ReadDirectory(dir.Node.Content); return 0; });
        if (err != 0) return err;
        return Fill(dir, offset, children!.Length, i => Child(dir, children![i]), ref buffer);
    }

    // Entries 0 and 1 are "." and ".."; entry k+2 is child k. Each entry carries the offset of the next.
    private int Fill(Inode dir, long offset, int count, Func<int, Inode> child, ref DirectoryBuffer buffer)
    {
        for (long i = offset; i < count + 2; i++)
        {
            if (i < 2)
            {
                var self = new FuseEntry { Attributes = new InodeAttributes { Ino = dir.Number, Mode = dir.Node.StMode } };
                if (!buffer.TryAdd(i == 0 ? "."u8 : ".."u8, self, i + 1)) break;
                continue;
            }
            var c = child((int)(i - 2));
            var entry = EntryOf(c);
            if (!buffer.TryAdd(c.Node.Name, entry, i + 1)) break;
            if (buffer.Plus) _inodes.Remember(c);
        }
        return 0;
    }

    public int StatFs(ulong ino, out FileSystemStats stats)
    {
        FileSystemStats s = default;
        int err = Guard(_root, () => { s = _space.Stats(); return 0; });
        stats = s;
        return err;
    }

    public int GetXattr(ulong ino, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        foreach (var (k, v) in inode.Node.Xattrs)
            if (k.AsSpan().SequenceEqual(name)) { value = v; return 0; }
        return Errno.ENODATA;
    }

    public int ListXattr(ulong ino, out ReadOnlySpan<byte> names)
    {
        names = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        var list = new List<byte>();
        foreach (var (k, _) in inode.Node.Xattrs) { list.AddRange(k); list.Add(0); }
        names = list.ToArray();
        return 0;
    }
}
