// Watches whole filesystems with fanotify (FAN_MARK_FILESYSTEM, FAN_REPORT_DFID_NAME) and turns events into
// ChangeRecords for paths under the source roots. Anything it cannot vouch for becomes an Incomplete notice instead.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Interop;
using static TimeTravel.Kernel.Interop.FanotifyConstants;

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
    private readonly byte[] _buffer = new byte[256 * 1024];

    /// <summary>Sources that could not be watched at all; every snapshot must walk them.</summary>
    public IReadOnlyList<IncompleteNotice> Unwatched { get; }

    /// <summary>True when the kernel gives us FAN_RENAME (old and new name in one event).</summary>
    public bool HasRenameEvents { get; }

    private FanotifyTracker(FileDescriptor group, Dictionary<ulong, WatchedFilesystem> filesystems,
        List<IncompleteNotice> unwatched, bool hasRenameEvents, TrackerOptions options)
    {
        _group = group;
        _filesystems = filesystems;
        Unwatched = unwatched;
        HasRenameEvents = hasRenameEvents;
        _ignoreRoot = options.IgnoreRoot is null ? null : PathBytes.From(PathBytes.Normalize(options.IgnoreRoot));
        _exclude = options.Exclude ?? (_ => false);
    }

    public static FanotifyTracker Start(TrackerOptions options)
    {
        var relative = options.Sources.FirstOrDefault(s => !s.StartsWith('/'));
        if (relative is not null) throw new ArgumentException($"source root must be absolute: {relative}");
        var group = CreateGroup();
        var unwatched = new List<IncompleteNotice>();
        var filesystems = new Dictionary<ulong, WatchedFilesystem>();
        foreach (var source in options.Sources.Select(PathBytes.Normalize).Distinct())
        {
            var problem = AddSource(filesystems, source);
            if (problem is not null) unwatched.Add(new IncompleteNotice(source, problem));
        }

        bool renames = true;
        foreach (var fs in filesystems.Values.ToList())
        {
            var anyRoot = fs.Sources[0].Bytes;
            int errno = renames ? Fanotify.MarkFilesystem(group, CommonMask | FAN_RENAME, anyRoot) : Errno.EINVAL;
            if (errno == Errno.EINVAL)
            {
                errno = Fanotify.MarkFilesystem(group, CommonMask | FAN_MOVED_FROM | FAN_MOVED_TO, anyRoot);
                if (errno == 0) renames = false;   // the kernel predates FAN_RENAME (5.17); use the two halves
            }
            if (errno == 0) continue;
            foreach (var (text, _) in fs.Sources)
                unwatched.Add(new IncompleteNotice(text, "cannot mark the filesystem with fanotify: " + Errno.Describe(errno)));
            filesystems.Remove(fs.FsId);
            fs.Dispose();
        }
        return new FanotifyTracker(group, filesystems, unwatched, renames, options);
    }

    private static FileDescriptor CreateGroup()
    {
        const uint basic = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;
        int errno = 0;
        foreach (var flags in new[]
                 {
                     basic | FAN_UNLIMITED_QUEUE | FAN_REPORT_DFID_NAME_TARGET,
                     basic | FAN_UNLIMITED_QUEUE | FAN_REPORT_DFID_NAME,
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
        if (!filesystems.TryGetValue(fsId, out var fs)) filesystems[fsId] = fs = new WatchedFilesystem(fsId);
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
        var resolver = new HandleResolver();
        while (true)
        {
            int n = Fanotify.Read(_group, _buffer);
            if (n == 0) return count;
            foreach (var e in FanotifyEventParser.Parse(_buffer.AsSpan(0, n)))
            {
                count++;
                Translate(e, resolver, sink);
            }
        }
    }

    private void Translate(FanotifyEvent e, HandleResolver resolver, IChangeSink sink)
    {
        if ((e.Mask & FAN_Q_OVERFLOW) != 0)
        {
            sink.Incomplete(null, "the fanotify queue overflowed; events were lost");
            return;
        }
        bool isDir = (e.Mask & FAN_ONDIR) != 0;

        if ((e.Mask & FAN_RENAME) != 0)
        {
            var from = Locate(e.Find(FAN_EVENT_INFO_TYPE_OLD_DFID_NAME), resolver, sink);
            var to = Locate(e.Find(FAN_EVENT_INFO_TYPE_NEW_DFID_NAME), resolver, sink);
            if (from is not null && to is not null) sink.Change(new ChangeRecord(ChangeKind.Renamed, from, isDir, to));
            else if (from is not null) sink.Change(new ChangeRecord(ChangeKind.Removed, from, isDir));
            else if (to is not null) sink.Change(new ChangeRecord(ChangeKind.New, to, isDir));
        }

        const ulong others = FAN_CREATE | FAN_MOVED_TO | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB | FAN_MOVE_SELF | FAN_DELETE | FAN_MOVED_FROM | FAN_DELETE_SELF;
        if ((e.Mask & others) == 0) return;
        var info = e.Find(FAN_EVENT_INFO_TYPE_DFID_NAME) ?? e.Find(FAN_EVENT_INFO_TYPE_DFID) ?? e.Find(FAN_EVENT_INFO_TYPE_FID);
        var path = Locate(info, resolver, sink);
        if (path is null) return;
        if ((e.Mask & (FAN_CREATE | FAN_MOVED_TO)) != 0) sink.Change(new ChangeRecord(ChangeKind.New, path, isDir));
        if ((e.Mask & (FAN_MODIFY | FAN_CLOSE_WRITE)) != 0) sink.Change(new ChangeRecord(ChangeKind.Modified, path, isDir));
        if ((e.Mask & (FAN_ATTRIB | FAN_MOVE_SELF)) != 0) sink.Change(new ChangeRecord(ChangeKind.MetadataChanged, path, isDir));
        if ((e.Mask & (FAN_DELETE | FAN_MOVED_FROM | FAN_DELETE_SELF)) != 0) sink.Change(new ChangeRecord(ChangeKind.Removed, path, isDir));
    }

    /// <summary>The path an info record names, if it lies in a source and is neither excluded nor ignored.</summary>
    private byte[]? Locate(FidInfo? info, HandleResolver resolver, IChangeSink sink)
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
        if (_ignoreRoot is not null && PathBytes.IsWithin(path, _ignoreRoot)) return null;
        if (!fs.Sources.Any(s => PathBytes.IsWithin(path, s.Bytes))) return null;
        if (_exclude(path)) return null;
        return path;
    }

    public void Dispose()
    {
        _group.Dispose();
        foreach (var fs in _filesystems.Values) fs.Dispose();
    }
}
