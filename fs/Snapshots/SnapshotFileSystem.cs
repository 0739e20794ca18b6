// The read-only snapshot filesystem: the root lists the snapshots (RootListing; with other hosts' snapshots in the
// catalog, one directory per host that lists them, MountListing), each snapshot is its recorded
// tree with owners, modes, times, links, xattrs and ACLs as they were. Snapshots never change, so the kernel may cache
// names, attributes, listings and pages for a long time; only the names at the root change, and those are cached for
// a second. Names in .history depend on who asks and are not cached at all (see HistoryView).
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using TimeTravel.Store.Interop;

namespace TimeTravel.Fs.Snapshots;

public sealed class SnapshotFileSystem : ILowLevelFileSystem
{
    public const double SnapshotTimeout = 86400; // immutable content: a day
    public const double RootTimeout = 1;         // the snapshot list changes
    public const double HistoryTimeout = 0;      // .history's names: every path walk is answered for whoever walks
    public const long CachedFileBytes = 32 << 20; // decoded data blocks kept for reads (see FileContentReader)

    private readonly SnapshotsView _view;
    private readonly InodeTable _inodes = new();
    private readonly TreeReader _trees;
    private readonly FileContentReader _content;
    private readonly StoreSpace _space;
    private readonly Action<string> _log;
    private readonly Inode _root;
    private readonly HistoryView _history;
    private readonly DirectoryPrefetcher _prefetch;

    public SnapshotFileSystem(Repository repo, Action<string>? log = null)
    {
        _view = new SnapshotsView(repo);
        _trees = repo.Trees;
        _log = log ?? (m => Console.Error.WriteLine($"timetravel: {m}"));
        // Every record's CRC-32 is still checked on read (a damaged block is an EIO, never wrong data); recomputing
        // SHA-256 as well cost about half a second of CPU per GiB, so that is left to `timetravel verify --read-data`.
        repo.Blocks.VerifyScoresOnRead = false;
        _content = new FileContentReader(repo.Blocks, _trees.Streams, CachedFileBytes, readAhead: 16);
        _space = new StoreSpace(repo.Layout.Root);
        var rootNode = new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED /* 0755 */ };
        _root = new Inode(InodeNumbers.Root, rootNode, null, "/") { AtRoot = true };
        _inodes.Pin(_root);
        _history = new HistoryView(_view, _trees);
        _prefetch = new DirectoryPrefetcher(_trees);
    }

    public InodeTable Inodes => _inodes;
    public SnapshotsView Snapshots => _view;

    public void Init(ref FuseConnection c)
    {
        c.TimeGranularity = 1;
        // The kernel takes the smaller of this and the mount's bdi read_ahead_kb (128 KiB by default), so the mount
        // also raises read_ahead_kb (FuseMountOptions.ReadAheadKilobytes).
        c.MaxReadahead = Math.Max(c.MaxReadahead, 1u << 20);
        // PosixAcl: the kernel enforces the recorded ACLs (system.posix_acl_access, served by getxattr) on top of
        // default_permissions; without it the kernel checks the mode bits only, whose group bits hold the ACL mask.
        c.Want |= FuseCap.AsyncRead | FuseCap.ParallelDirops | FuseCap.CacheSymlinks | FuseCap.ReaddirPlus | FuseCap.PosixAcl;
        c.Want &= ~FuseCap.ReaddirPlusAuto;
        if ((c.Capable & FuseCap.PosixAcl) == 0)
            _log("the kernel does not offer POSIX ACL support: access is checked on the mode bits only, ACLs are not enforced");
        // Nothing here needs to know about opens: answering the first OPEN and OPENDIR with ENOSYS makes the kernel
        // open every file and directory itself from then on, with keep_cache (and cache_readdir for directories), and
        // send no RELEASE either. That saves two round trips per file `tar` reads and per directory `find` lists.
        // Listings that do change (the root, .history) are dropped by CatalogWatcher when the catalog changes.
        _kernelOpensFiles = (c.Capable & FuseCap.NoOpenSupport) != 0;
        _kernelOpensDirectories = (c.Capable & FuseCap.NoOpendirSupport) != 0;
    }

    private bool _kernelOpensFiles, _kernelOpensDirectories;

    // Runs a request body; store damage becomes EIO with the path logged, never wrong data or a crash.
    private int Guard(Inode? inode, Func<int> body)
    {
        try { return body(); }
        catch (Exception e) when (e is BlockReadException or BlockNotFoundException or InvalidDataException or IOException
                                      or StoreException or StoreFormatException)
        {
            _log($"{inode?.Path ?? "?"}: {e.Message}");
            return Errno.EIO;
        }
    }

    // The recorded node of an inode: kept by directories and names at the root; a file's is found again in its
    // parent's directory (decoded and cached by score). 0, or EIO when the store fails.
    private int NodeOf(Inode inode, out Node node)
    {
        if (inode.Node is { } kept) { node = kept; return 0; }
        try
        {
            node = _trees.Lookup(inode.Parent!.Node!.Content, inode.Name)
                ?? throw new InvalidDataException("the name is no longer in its recorded directory");
            return 0;
        }
        catch (Exception e) when (e is BlockReadException or BlockNotFoundException or InvalidDataException or IOException)
        {
            _log($"{inode.Path}: {e.Message}");
            node = null!;
            return Errno.EIO;
        }
    }

    public int Lookup(ulong parent, ReadOnlySpan<byte> name, Caller caller, out FuseEntry entry)
    {
        entry = default;
        var dir = _inodes.Get(parent);
        if (dir is null) return Errno.ENOENT;
        Inode? child;
        Node? node = null;
        if (parent == InodeNumbers.Root && name.SequenceEqual(HistoryView.Name))
        {
            var who = caller.Credentials();
            Inode? root = null;
            int err = Guard(dir, () => { root = _history.Root(who); return 0; });
            if (err != 0) return err;
            child = root!;
        }
        else if (parent == InodeNumbers.Root && name.SequenceEqual(ZoneLinkName))
        {
            Inode? link = null;
            int err = Guard(dir, () => { link = ZoneLink(); return 0; });
            if (err != 0) return err;
            child = link!;
        }
        else if (parent == InodeNumbers.Root && name.SequenceEqual(HostLinkName))
        {
            Inode? link = null;
            int err = Guard(dir, () => { link = HostLink(); return 0; });
            if (err != 0) return err;
            child = link!;
        }
        else if (IsHostDirectory(dir))
        {
            string host = Encoding.UTF8.GetString(dir.Name), text = Encoding.UTF8.GetString(name);
            RootEntry? e = null;
            int err = Guard(dir, () => { e = _view.Find(host, text) ?? (_view.Refresh() ? _view.Find(host, text) : null); return 0; });
            if (err != 0) return err;
            if (e is null) { entry.EntryTimeout = RootTimeout; return 0; }
            child = RootChild(e, dir);
        }
        else if (dir.HistoryPath is not null)
        {
            var who = caller.Credentials();
            if (dir.HistoryViewer != who.Key) return Errno.EACCES; // another caller's view (a directory handed over)
            var nameCopy = name.ToArray();
            Inode? found = null;
            int err = Guard(dir, () => { found = _history.Lookup(dir, nameCopy, who); return 0; });
            if (err != 0) return err;
            if (found is null) { entry.EntryTimeout = HistoryTimeout; return 0; }
            child = found;
        }
        else if (parent == InodeNumbers.Root)
        {
            string text = Encoding.UTF8.GetString(name);
            RootEntry? e = null;
            // A name not listed yet may be a snapshot taken since the catalog was last read (`timetravel snapshot`
            // then at once `yesterday -d`, which names it): look at the catalog again before saying it is not there.
            int err = Guard(dir, () => { e = _view.Find(text) ?? (_view.Refresh() ? _view.Find(text) : null); return 0; });
            if (err != 0) return err;
            if (e is null) { entry.EntryTimeout = RootTimeout; return 0; } // negative entry, re-asked after a second
            child = RootChild(e, _root);
        }
        else
        {
            if (dir.Node is not { Kind: FileKind.Directory } dirNode) return Errno.ENOTDIR;
            var nameCopy = name.ToArray();
            int err = Guard(dir, () => { node = _trees.Lookup(dirNode.Content, nameCopy); return 0; });
            if (err != 0) return err;
            if (node is null) { entry.EntryTimeout = SnapshotTimeout; return 0; }
            child = Child(dir, node);
        }
        child = _inodes.Remember(child);
        entry = EntryOf(child, node ?? child.Node!, dir);
        return 0;
    }

    // A name at the root, or in a host's directory (`dir`): a snapshot, a link to one, or a host's directory.
    private Inode RootChild(RootEntry e, Inode dir)
    {
        var name = Encoding.UTF8.GetBytes(e.Name);
        long t = e.Snapshot.Time.ToUnixTimeMilliseconds() * 1_000_000;
        if (e.Kind == RootEntryKind.Host)
        {
            // Its listing changes as the host's snapshots come and go, like the root's; its times are its newest snapshot's.
            var hostNode = new Node { Name = name, Kind = FileKind.Directory, Mode = 0x1ED /* 0755 */, MTimeNs = t, CTimeNs = t };
            return new Inode(InodeNumbers.ForRootEntry("\0host\0" + e.Name), hostNode, null, _root) { AtRoot = true };
        }
        // Names in a host's directory are numbered under the host, so web1/latest and web2/latest are different inodes.
        string place = dir.Number == InodeNumbers.Root ? e.Name : Encoding.UTF8.GetString(dir.Name) + "/" + e.Name;
        if (e.Kind == RootEntryKind.Snapshot)
            // The id goes into the number too: a snapshot removed and another taken under the same name is a new
            // inode. Its attributes and listing never change, so only its name at the root has a short timeout.
            return new Inode(InodeNumbers.ForRootEntry(place + "\0" + e.Snapshot.Id), e.Snapshot.Root.WithName(name), e.Snapshot, dir);
        var target = Encoding.UTF8.GetBytes(e.Target);
        var link = new Node
        {
            Name = name, Kind = FileKind.Symlink, Mode = 0x1FF, MTimeNs = t, CTimeNs = t,
            LinkTarget = target, Size = target.Length,
        };
        // A link's number includes its target, so a `latest` that moves on is a new inode, never stale.
        return new Inode(InodeNumbers.ForRootEntry(place + "\0" + e.Target), link, e.Snapshot, dir) { AtRoot = true };
    }

    // A host's directory at the root (MountListing): the only directory there that is not a snapshot.
    private static bool IsHostDirectory(Inode inode) =>
        inode.Parent is { Number: InodeNumbers.Root } && inode.Snapshot is null && inode.Node is { Kind: FileKind.Directory };

    private static readonly byte[] HostLinkName = Encoding.UTF8.GetBytes(HostNames.MountLink);

    // The hidden link MOUNT/.host -> the store's own host name: which host directory is this machine's when the root
    // shows hosts (`yesterday` reading the mount looks there). Not listed, like .zone.
    private Inode HostLink()
    {
        var target = Encoding.UTF8.GetBytes(_view.Host);
        var link = new Node { Name = HostLinkName, Kind = FileKind.Symlink, Mode = 0x1FF, LinkTarget = target, Size = target.Length };
        return new Inode(InodeNumbers.ForRootEntry(HostNames.MountLink + "\0" + _view.Host), link, null, "/" + HostNames.MountLink) { AtRoot = true };
    }

    private static readonly byte[] ZoneLinkName = Encoding.UTF8.GetBytes(StoreZone.MountLink);

    // The hidden link MOUNT/.zone -> the store's zone id (Europe/Berlin), which the snapshot names are written in: how
    // a user who may not open the store reads them as the instants they are (StoreZone). Not listed, like .history.
    private Inode ZoneLink()
    {
        var target = Encoding.UTF8.GetBytes(_view.Zone.Id);
        var link = new Node { Name = ZoneLinkName, Kind = FileKind.Symlink, Mode = 0x1FF, LinkTarget = target, Size = target.Length };
        return new Inode(InodeNumbers.ForRootEntry(StoreZone.MountLink + "\0" + _view.Zone.Id), link, null, "/" + StoreZone.MountLink) { AtRoot = true };
    }

    // Directories keep their node (their listing is needed for every lookup in them); other files keep only a name.
    private static Inode Child(Inode dir, Node node)
    {
        ulong ino = node.LinkId != 0 && dir.Snapshot is { } s
            ? InodeNumbers.ForHardLink(s.Id, node.LinkId)
            : InodeNumbers.ForChild(dir.Number, node.Name);
        return new Inode(ino, node, dir.Snapshot, dir, keepNode: node.Kind == FileKind.Directory);
    }

    // Names in the root come and go (short entry timeout), names in .history are answered per caller (none); attributes
    // of a snapshot's files and of the snapshot directory itself never change (long attribute timeout).
    private FuseEntry EntryOf(Inode inode, Node node, Inode parent) => new()
    {
        Attributes = AttributesOf(inode, node),
        EntryTimeout = parent.HistoryPath is not null || inode.HistoryPath is not null ? HistoryTimeout
            : parent.AtRoot ? RootTimeout : SnapshotTimeout,
        AttributeTimeout = inode.AtRoot ? RootTimeout : SnapshotTimeout,
    };

    private InodeAttributes AttributesOf(Inode inode, Node n)
    {
        // The store records no atime: st_atime shows the mtime. The root changes when the catalog does.
        long mtime = inode.Number == InodeNumbers.Root ? UnixNanoseconds(_view.ChangedAt) : n.MTimeNs;
        long ctime = inode.Number == InodeNumbers.Root ? mtime : n.CTimeNs;
        return new InodeAttributes
        {
            Ino = inode.Number,
            Mode = n.StMode,
            // Directories: the store does not record their st_nlink (0 or 1 here); 1 means "unknown", as on btrfs,
            // and tells find(1) not to count subdirectories.
            NLink = Math.Max(1, n.NLink),
            Uid = n.Uid, Gid = n.Gid, Rdev = n.RDev,
            // A regular file serves its stored stream: older snapshots recorded a file that grew while it was read
            // with a size larger than the content stored.
            Size = n.Kind == FileKind.Regular && (n.Flags & NodeFlags.Unreadable) == 0 ? n.Content.Length : n.Size,
            Blocks = n.Blocks, BlockSize = 128 * 1024,
            ATime = UnixTime.FromNanoseconds(mtime), MTime = UnixTime.FromNanoseconds(mtime), CTime = UnixTime.FromNanoseconds(ctime),
        };
    }

    private static long UnixNanoseconds(DateTime utc) =>
        utc <= DateTime.UnixEpoch ? 0 : (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public void Forget(ulong ino, ulong count) => _inodes.Forget(ino, count);

    public int GetAttr(ulong ino, out InodeAttributes attributes, out double timeout)
    {
        attributes = default; timeout = 0;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        timeout = inode.AtRoot ? RootTimeout : SnapshotTimeout;
        if (ino == InodeNumbers.Root)
        {
            InodeAttributes a = default;
            int rerr = Guard(inode, () => { a = AttributesOf(inode, inode.Node!); return 0; }); // its mtime reads the catalog
            attributes = a;
            return rerr;
        }
        int err = NodeOf(inode, out var node);
        if (err != 0) return err;
        attributes = AttributesOf(inode, node);
        return 0;
    }

    public int ReadLink(ulong ino, out ReadOnlySpan<byte> target)
    {
        target = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        int err = NodeOf(inode, out var node);
        if (err != 0) return err;
        if (node.Kind != FileKind.Symlink) return Errno.EINVAL;
        target = node.LinkTarget;
        return 0;
    }

    // An open file keeps its content reference, so reads need neither the inode's directory nor a lookup. Where
    // the kernel opens files itself (handle 0), the inode keeps it instead, from its first read until it is forgotten.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, OpenFile> _open = new();
    private long _lastHandle;

    public int Open(ulong ino, int flags, out OpenResult result)
    {
        result = default;
        if (_kernelOpensFiles) return Errno.ENOSYS;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        int err = NodeOf(inode, out var node);
        if (err != 0) return err;
        if (node.Kind == FileKind.Directory) return Errno.EISDIR;
        ulong handle = (ulong)Interlocked.Increment(ref _lastHandle);
        _open[handle] = new OpenFile(inode, node.Content, node.Flags); // only regular files reach open: the kernel opens devices and fifos itself
        result = new OpenResult { Handle = handle, KeepCache = true };
        return 0;
    }

    public void Release(ulong ino, ulong handle) => _open.TryRemove(handle, out _);

    public int Read(ulong ino, ulong handle, long offset, Span<byte> buffer, out int bytesRead)
    {
        bytesRead = 0;
        OpenFile? file;
        if (handle == 0)
        {
            var inode = _inodes.Get(ino);
            if (inode is null) return Errno.ENOENT;
            file = inode.Opened;
            if (file is null)
            {
                int err = NodeOf(inode, out var node);
                if (err != 0) return err;
                if (node.Kind != FileKind.Regular) return Errno.EISDIR;
                inode.Opened = file = new OpenFile(inode, node.Content, node.Flags);
            }
        }
        else if (!_open.TryGetValue(handle, out file)) return Errno.EBADF;
        if ((file.Flags & NodeFlags.Unreadable) != 0)
        {
            _log($"{file.Inode.Path}: could not be read when the snapshot was taken; its content is not stored");
            return Errno.EIO;
        }
        try { bytesRead = _content.Read(file.Content, offset, buffer); return 0; }
        catch (Exception e) when (e is BlockReadException or BlockNotFoundException or InvalidDataException or IOException)
        {
            _log($"{file.Inode.Path}: offset {offset}: {e.Message}");
            return Errno.EIO;
        }
    }

    public int OpenDir(ulong ino, int flags, out OpenResult result)
    {
        result = default;
        if (_kernelOpensDirectories) return Errno.ENOSYS;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        if (inode.Node is not { Kind: FileKind.Directory }) return Errno.ENOTDIR;
        bool fixedListing = !inode.AtRoot; // a snapshot's listings never change (its top directory's neither); the root's and .history's do
        result = new OpenResult { KeepCache = fixedListing, CacheDirectory = fixedListing };
        return 0;
    }

    public int ReadDir(ulong ino, ulong handle, long offset, Caller caller, ref DirectoryBuffer buffer)
    {
        var dir = _inodes.Get(ino);
        if (dir is null) return Errno.ENOENT;
        if (ino == InodeNumbers.Root)
        {
            IReadOnlyList<RootEntry>? entries = null; // .history is not listed: reachable by name only, as NetApp hides .snapshot
            int rerr = Guard(dir, () => { entries = _view.Entries(); return 0; });
            if (rerr != 0) return rerr;
            return Fill(dir, offset, entries!.Count, i => { var c = RootChild(entries[i], dir); return (c, c.Node!); }, ref buffer);
        }
        if (IsHostDirectory(dir))
        {
            IReadOnlyList<RootEntry>? entries = null;
            int herr = Guard(dir, () => { entries = _view.Entries(Encoding.UTF8.GetString(dir.Name)) ?? []; return 0; });
            if (herr != 0) return herr;
            return Fill(dir, offset, entries!.Count, i => { var c = RootChild(entries[i], dir); return (c, c.Node!); }, ref buffer);
        }
        if (dir.HistoryPath is not null)
        {
            var who = caller.Credentials();
            if (dir.HistoryViewer != who.Key) return Errno.EACCES; // another caller's view (a directory handed over)
            IReadOnlyList<Inode>? listing = null;
            int herr = Guard(dir, () => { listing = _history.List(dir, who); return 0; });
            if (herr != 0) return herr;
            return Fill(dir, offset, listing!.Count, i => (listing![i], listing[i].Node!), ref buffer);
        }
        if (dir.Node is not { Kind: FileKind.Directory } dirNode) return Errno.ENOTDIR;
        Node[]? children = null;
        int err = Guard(dir, () => { children = _trees.ReadDirectory(dirNode.Content); return 0; });
        if (err != 0) return err;
        if (offset == 0) _prefetch.Children(children!);
        return Fill(dir, offset, children!.Length, i => (Child(dir, children![i]), children[i]), ref buffer);
    }

    // Entries 0 and 1 are "." and ".."; entry k+2 is child k. Each entry carries the offset of the next.
    private int Fill(Inode dir, long offset, int count, Func<int, (Inode Inode, Node Node)> child, ref DirectoryBuffer buffer)
    {
        for (long i = offset; i < count + 2; i++)
        {
            if (i < 2)
            {
                var self = new FuseEntry { Attributes = new InodeAttributes { Ino = dir.Number, Mode = dir.Node!.StMode } };
                if (!buffer.TryAdd(i == 0 ? "."u8 : ".."u8, self, i + 1)) break;
                continue;
            }
            var (c, node) = child((int)(i - 2));
            var entry = EntryOf(c, node, dir);
            if (!buffer.TryAdd(node.Name, entry, i + 1)) break;
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
        int err = NodeOf(inode, out var node);
        if (err != 0) return err;
        foreach (var (k, v) in node.Xattrs)
            if (k.AsSpan().SequenceEqual(name)) { value = v; return 0; }
        return Errno.ENODATA;
    }

    public int ListXattr(ulong ino, out ReadOnlySpan<byte> names)
    {
        names = default;
        var inode = _inodes.Get(ino);
        if (inode is null) return Errno.ENOENT;
        int err = NodeOf(inode, out var node);
        if (err != 0) return err;
        if (node.Xattrs.Count == 0) return 0;
        var list = new List<byte>();
        foreach (var (k, _) in node.Xattrs) { list.AddRange(k); list.Add(0); }
        names = list.ToArray();
        return 0;
    }
}
