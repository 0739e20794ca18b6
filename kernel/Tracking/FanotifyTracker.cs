// Watches whole filesystems with fanotify (FAN_MARK_FILESYSTEM, FAN_REPORT_DFID_NAME) and turns events into
// ChangeRecords for paths under the source roots. Anything it cannot vouch for becomes an Incomplete notice instead:
// a queue overflow, a handle that does not resolve, a source root (or an ancestor) moved or removed, and a file with
// several hard links changed under a name the journal drops.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Journal;
using static TimeTravel.Kernel.Interop.FanotifyConstants;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Tracking;

public sealed class FanotifyTracker : IDisposable
{
    // FAN_CLOSE_WRITE catches writes through a shared mmap, which raise no FAN_MODIFY; the journal dedups the pair.
    private const ulong CommonMask = FAN_CREATE | FAN_DELETE | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB
        | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR;

    private readonly FileDescriptor _group;
    private readonly Dictionary<ulong, WatchedFilesystem> _filesystems;
    private readonly byte[]? _ignoreRoot;
    private readonly Func<byte[], bool> _exclude;
    private readonly List<(string Text, byte[] Bytes)> _sources;
    private readonly HashSet<byte[]> _rootsAndAncestors = new(PathBytes.EqualityComparer);
    private readonly byte[] _buffer = new byte[256 * 1024];

    /// <summary>Sources that could not be watched at all; every snapshot must walk them.</summary>
    public IReadOnlyList<IncompleteNotice> Unwatched { get; }

    /// <summary>True when the kernel gives us FAN_RENAME (old and new name in one event).</summary>
    public bool HasRenameEvents { get; }

    /// <summary>
    /// Every source as it was when the tracker started: root st_dev and st_ino (0 when it could not be read), the
    /// fsid marked for it (0 when unwatched) and its exclude fingerprint. A snapshot walks a source whose root is no
    /// longer this directory; the daemon restarts the watch when it notices.
    /// </summary>
    public IReadOnlyList<WatchedSource> Roots { get; }

    private FanotifyTracker(FileDescriptor group, Dictionary<ulong, WatchedFilesystem> filesystems,
        List<IncompleteNotice> unwatched, bool hasRenameEvents, TrackerOptions options, List<WatchedSource> roots)
    {
        _group = group;
        _filesystems = filesystems;
        Unwatched = unwatched;
        HasRenameEvents = hasRenameEvents;
        Roots = roots;
        _ignoreRoot = options.IgnoreRoot is null ? null : PathBytes.From(PathBytes.Normalize(options.IgnoreRoot));
        _exclude = options.Exclude ?? (_ => false);
        _sources = roots.Select(r => (r.Path, PathBytes.From(r.Path))).ToList();
        foreach (var (_, bytes) in _sources)
        {
            var p = bytes;
            while (true)
            {
                _rootsAndAncestors.Add(p);
                int slash = p.AsSpan().LastIndexOf((byte)'/');
                if (slash <= 0) break;
                p = p[..slash];
            }
        }
    }

    /// <param name="contentByRanges">
    /// A range tracker records writes on ext4 (kernel/Ranges): mark ext4 filesystems without FAN_MODIFY, the
    /// per-write event that costs the writer most (see <see cref="RangeFsIds"/>). FAN_CLOSE_WRITE stays: one per file
    /// written, it names every written file once it is closed (see kernel/Planning/RangeTracking.cs).
    /// </param>
    public static FanotifyTracker Start(TrackerOptions options, bool contentByRanges = false)
    {
        var relative = options.Sources.FirstOrDefault(s => !s.StartsWith('/'));
        if (relative is not null) throw new ArgumentException($"source root must be absolute: {relative}");
        var group = CreateGroup();
        var unwatched = new List<IncompleteNotice>();
        var filesystems = new Dictionary<ulong, WatchedFilesystem>();
        var sources = options.Sources.Select(PathBytes.Normalize).Distinct().ToList();
        foreach (var source in sources)
            if (AddSource(filesystems, source) is { } problem) unwatched.Add(new IncompleteNotice(source, problem));

        bool renames = true;
        var rangeFsIds = new List<ulong>();
        foreach (var fs in filesystems.Values.ToList())
        {
            var anyRoot = fs.Sources[0].Bytes;
            bool byRanges = contentByRanges && fs.IsExt4;
            ulong mask = byRanges ? CommonMask & ~FAN_MODIFY : CommonMask;
            int errno = renames ? Fanotify.MarkFilesystem(group, mask | FAN_RENAME, anyRoot) : Errno.EINVAL;
            if (errno == Errno.EINVAL)
            {
                errno = Fanotify.MarkFilesystem(group, mask | FAN_MOVED_FROM | FAN_MOVED_TO, anyRoot);
                if (errno == 0) renames = false;   // the kernel predates FAN_RENAME (5.17); use the two halves
            }
            if (errno == 0)
            {
                if (byRanges) rangeFsIds.Add(fs.FsId);
                continue;
            }
            foreach (var (text, _) in fs.Sources)
                unwatched.Add(new IncompleteNotice(text, "cannot mark the filesystem with fanotify: " + Errno.Describe(errno)));
            filesystems.Remove(fs.FsId);
            fs.Dispose();
        }

        var roots = sources.Select(source =>
        {
            var (dev, ino) = RootIdentity(source);
            string fingerprint = options.Fingerprints is { } f && f.TryGetValue(source, out var fp) ? fp : "";
            ulong fsId = filesystems.Values.FirstOrDefault(fs => fs.Sources.Any(s => s.Text == source))?.FsId ?? 0; // 0: not watched
            return new WatchedSource(source, fingerprint, dev, ino, fsId);
        }).ToList();
        return new FanotifyTracker(group, filesystems, unwatched, renames, options, roots) { RangeFsIds = rangeFsIds };
    }

    /// <summary>The filesystems (fsids) marked without FAN_MODIFY, whose writes the range tracker records instead.</summary>
    public IReadOnlyList<ulong> RangeFsIds { get; private init; } = [];

    /// <summary>(st_dev, st_ino) of a source root now; (0, 0) when it is missing or not a directory.</summary>
    public static (ulong Device, ulong Inode) RootIdentity(string source) =>
        PosixFs.TryLStat(PathBytes.From(source), out var st) && st.Kind == FileKind.Directory ? (st.Device, st.Inode) : (0, 0);

    /// <summary>Names a source whose root is no longer the directory the tracker started on (or null).</summary>
    public string? RootChanged()
    {
        foreach (var root in Roots)
            if (RootIdentity(root.Path) != (root.Device, root.Inode))
                return $"{root.Path}: the source root was replaced, moved, created or had a filesystem mounted on it";
        return null;
    }

    // The queue is the kernel's default (fs.fanotify.max_queued_events, 16384), not FAN_UNLIMITED_QUEUE: the group
    // marks whole filesystems, and a stopped or slow tracker let events from outside the sources grow kernel memory
    // without bound (117 MiB for 300,000 events). A full queue ends in FAN_Q_OVERFLOW, which makes every source walk.
    private static FileDescriptor CreateGroup()
    {
        const uint basic = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;
        int errno = 0;
        foreach (var flags in new[]
                 {
                     basic | FAN_REPORT_DFID_NAME_TARGET,
                     basic | FAN_REPORT_DFID_NAME,
                 })
        {
            var group = Fanotify.Init(flags, out errno);
            if (group is not null) return group;
        }
        throw new IOException("fanotify_init with FAN_REPORT_DFID_NAME failed (needs root and Linux 5.9+): " + Errno.Describe(errno));
    }

    /// <summary>Registers a source under its filesystem, or says why it cannot be tracked.</summary>
    private static string? AddSource(Dictionary<ulong, WatchedFilesystem> filesystems, string source)
    {
        var bytes = PathBytes.From(PathBytes.Normalize(source));
        var fd = FileHandles.OpenDirectory(bytes, out int errno);
        if (fd is null) return "cannot open the source root: " + Errno.Describe(errno);

        var handle = FileHandles.HandleOf(bytes, out errno, out int mountId);
        var resolved = handle is null ? null : FileHandles.Resolve(fd, handle, out errno);
        if (resolved is null || !resolved.AsSpan().SequenceEqual(bytes))
        {
            fd.Dispose();
            return handle is null
                ? "the filesystem does not support file handles: " + Errno.Describe(errno)
                : "file handles on this filesystem do not resolve back to the source root";
        }

        ulong fsId = FileHandles.FsId(fd);
        if (!filesystems.TryGetValue(fsId, out var fs)) filesystems[fsId] = fs = new WatchedFilesystem(fsId, FileHandles.IsExt4(fd));
        fs.Sources.Add((source, bytes));
        if (!fs.MountFds.TryAdd(mountId, fd)) fd.Dispose();
        return null;
    }

    /// <summary>
    /// Waits up to <paramref name="waitMs"/> for events, then drains everything queued into <paramref name="sink"/>.
    /// Returns the number of kernel events read.
    /// </summary>
    public int Pump(IChangeSink sink, int waitMs)
    {
        if (waitMs > 0 && !Fanotify.WaitReadable(_group, waitMs)) return 0;
        int count = 0;
        var resolver = new HandleResolver();   // one cache per batch
        while (true)
        {
            int n = Fanotify.Read(_group, _buffer);
            if (n == 0) return count;
            count += Feed(_buffer.AsSpan(0, n), resolver, sink);
        }
    }

    /// <summary>Translates one buffer as read(2) returned it; tests feed made-up events through here.</summary>
    internal int Feed(ReadOnlySpan<byte> buffer, HandleResolver resolver, IChangeSink sink)
    {
        var events = FanotifyEventParser.Parse(buffer);
        foreach (var e in events) Translate(e, resolver, sink);
        return events.Count;
    }

    private const ulong DirentEvents = FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_RENAME;

    private void Translate(FanotifyEvent e, HandleResolver resolver, IChangeSink sink)
    {
        if ((e.Mask & FAN_Q_OVERFLOW) != 0)
        {
            sink.Incomplete(null, "the fanotify queue overflowed; events were lost");
            return;
        }
        bool isDir = (e.Mask & FAN_ONDIR) != 0;
        var child = e.Find(FAN_EVENT_INFO_TYPE_FID);   // the object itself (FAN_REPORT_TARGET_FID), when reported

        if ((e.Mask & FAN_RENAME) != 0)
        {
            var from = Locate(e.Find(FAN_EVENT_INFO_TYPE_OLD_DFID_NAME), resolver, sink, isDir, child, dirent: true);
            var to = Locate(e.Find(FAN_EVENT_INFO_TYPE_NEW_DFID_NAME), resolver, sink, isDir, child, dirent: true);
            if (from is not null && to is not null) sink.Change(new ChangeRecord(ChangeKind.Renamed, from, isDir, to));
            else if (from is not null) sink.Change(new ChangeRecord(ChangeKind.Removed, from, isDir));
            else if (to is not null) sink.Change(new ChangeRecord(ChangeKind.New, to, isDir));
        }

        const ulong others = FAN_CREATE | FAN_MOVED_TO | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB | FAN_MOVE_SELF | FAN_DELETE | FAN_MOVED_FROM | FAN_DELETE_SELF;
        if ((e.Mask & others) == 0) return;
        var info = e.Find(FAN_EVENT_INFO_TYPE_DFID_NAME) ?? e.Find(FAN_EVENT_INFO_TYPE_DFID) ?? child;
        var path = Locate(info, resolver, sink, isDir, child, dirent: (e.Mask & DirentEvents & others) != 0);
        if (path is null) return;
        if ((e.Mask & (FAN_CREATE | FAN_MOVED_TO)) != 0) sink.Change(new ChangeRecord(ChangeKind.New, path, isDir));
        if ((e.Mask & (FAN_MODIFY | FAN_CLOSE_WRITE)) != 0) sink.Change(new ChangeRecord(ChangeKind.Modified, path, isDir));
        if ((e.Mask & (FAN_ATTRIB | FAN_MOVE_SELF)) != 0) sink.Change(new ChangeRecord(ChangeKind.MetadataChanged, path, isDir));
        if ((e.Mask & (FAN_DELETE | FAN_MOVED_FROM | FAN_DELETE_SELF)) != 0) sink.Change(new ChangeRecord(ChangeKind.Removed, path, isDir));
    }

    /// <summary>
    /// The path an info record names, if it lies in a source and is neither excluded nor ignored. On the way it
    /// notices what no path under a source shows: a source root or one of its ancestors created, removed or renamed
    /// (<paramref name="dirent"/> events), and a changed file whose other hard links may lie in a source.
    /// </summary>
    private byte[]? Locate(FidInfo? info, HandleResolver resolver, IChangeSink sink, bool isDir, FidInfo? child, bool dirent)
    {
        if (info is null || !_filesystems.TryGetValue(info.FsId, out var fs)) return null;
        var outcome = resolver.Resolve(fs, info.Handle);
        if (outcome.Failure is not null)
        {
            foreach (var (text, _) in fs.Sources) sink.Incomplete(text, outcome.Failure);
            return null;
        }
        if (outcome.Directory is null) return null;   // gone: see HandleResolver for why dropping it is safe

        var path = info.Name is null || info.Name is [(byte)'.'] ? outcome.Directory : PathBytes.Join(outcome.Directory, info.Name);
        if (dirent && info.Name is not null && _rootsAndAncestors.Contains(path))
            foreach (var (text, bytes) in _sources)
                if (PathBytes.IsWithin(bytes, path))
                    sink.Incomplete(text, $"source root or an ancestor was moved, removed or replaced ({PathBytes.Display(path)})");

        if (Keeps(fs, path)) return path;
        // An excluded name created, removed or renamed in a directory that is backed up still changes that
        // directory's mtime and ctime: the directory itself is journaled.
        if (dirent && info.Name is not null && Keeps(fs, outcome.Directory))
            sink.Change(new ChangeRecord(ChangeKind.MetadataChanged, outcome.Directory, IsDirectory: true));
        if (!isDir && child is not null) CheckLinks(fs, child, path, resolver, sink);
        return null;
    }

    private bool Keeps(WatchedFilesystem fs, byte[] path)
    {
        if (_ignoreRoot is not null && PathBytes.IsWithin(path, _ignoreRoot)) return false;
        if (!fs.Sources.Any(s => PathBytes.IsWithin(path, s.Bytes))) return false;
        return !_exclude(path);
    }

    /// <summary>
    /// A file changed under a name the journal drops (outside the sources, excluded, in the store). If it has other
    /// names, one may lie in a source, whose recorded content, link count and ctime are now stale with no event
    /// naming it: the sources on that filesystem are incomplete. Cached per batch, so a busy file costs one check.
    /// </summary>
    private static void CheckLinks(WatchedFilesystem fs, FidInfo child, byte[] path, HandleResolver resolver, IChangeSink sink)
    {
        long links = resolver.LinkCount(fs, child.Handle);
        if (links is 0 or 1) return;
        string why = links < 0
            ? $"cannot read the link count of {PathBytes.Display(path)}, changed outside the sources or in an excluded path"
            : $"a file with {links} hard links changed outside the sources or in an excluded path ({PathBytes.Display(path)}); its other names may lie in a source";
        foreach (var (text, _) in fs.Sources) sink.Incomplete(text, why);
    }

    public void Dispose()
    {
        _group.Dispose();
        foreach (var fs in _filesystems.Values) fs.Dispose();
    }
}
