// Takes a snapshot by walking every source (or, given a ChangeFilter, only the directories on the path to a change):
// stays on one filesystem, never follows symlinks, reuses the content of files whose size, mtime and ctime did not
// change since the previous snapshot (or whose new ctime a visible metadata change explains), reads the rest in
// parallel, and records the list of changed paths. Commit order: blocks durable, then the index, then the catalog
// record that makes the snapshot exist. Below a source root every directory is opened from its parent's descriptor
// (openat, fstatat), so paths longer than PATH_MAX are walked like any other; a directory with an entry that could
// not be recorded is flagged Unreadable, never stored as if complete.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Snapshots;

public sealed record SnapshotResult(SnapshotRecord Record, IReadOnlyList<string> Problems);

public sealed class SnapshotWriter
{
    private readonly Repository _repo;
    private readonly SnapshotOptions _options;
    private readonly SnapshotProgress _progress;
    private readonly Action<string> _report;
    private readonly FileChunker _chunker;
    private readonly RangeChunker _rangeChunker;
    private readonly FileReads _reads = new();
    private readonly SemaphoreSlim _readers;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<ulong, Task<Node>> _hardLinks = new();
    private long _errors;

    public SnapshotWriter(Repository repo, SnapshotOptions options, SnapshotProgress? progress = null, Action<string>? report = null)
    {
        if (!repo.IsWriter) throw new InvalidOperationException("a snapshot needs the store opened for writing");
        _repo = repo;
        _options = options;
        _progress = progress ?? new SnapshotProgress();
        _report = report ?? (_ => { });
        _chunker = new FileChunker(repo.Blocks, repo.Config.Chunker);
        _rangeChunker = new RangeChunker(repo.Blocks, repo.Trees.Streams, repo.Config.Chunker);
        _readers = new SemaphoreSlim(options.Parallelism);
        // The readers block in read(2) on pool threads. The pool starts with one thread per core and adds more only
        // slowly, so on a cold cache a core sat idle while its thread waited for the disk (measured: 8% slower on 2
        // cores). Enough threads for every reader, the walk and a spare keep the cores busy.
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < options.Parallelism + 2) ThreadPool.SetMinThreads(options.Parallelism + 2, io);
    }

    public SnapshotResult Run()
    {
        var sources = _repo.Catalog.Sources();
        if (sources.Count == 0) throw new StoreException($"{_repo.Layout.Root}: no sources recorded; add one with `timetravel init SOURCE`");
        var clock = Stopwatch.StartNew();
        var time = _options.Time ?? DateTimeOffset.Now;
        var previous = _repo.OwnSnapshots().LastOrDefault(); // never another host's: its tree is of other files
        var trie = SourceTrie.Build(sources, _repo.Layout.Root);

        var root = BuildSynthetic("/"u8.ToArray(), "/"u8.ToArray(), trie, previous?.Root).GetAwaiter().GetResult()
            ?? throw new StoreException("the root directory / cannot be read");
        // Not on failure: the caller may read again from the same view (a walk after a changed hard link) and ends it.
        string guarantee = _options.ReadFinished?.Invoke() ?? "";
        var diff = new TreeDiff(_repo.Trees).Compare(previous?.Root, root, "/"u8.ToArray()).ToList();
        var changed = ChangeList.PathsOf(diff);
        var changedPaths = ChangeList.Write(_chunker, changed);
        var totals = previous is { Stats: { TotalsCounted: true } p }
            ? new SnapshotTotals(p.Files, p.Directories, p.LogicalBytes).Apply(_repo.Trees, diff)
            : SnapshotTotals.Count(_repo.Trees, root);

        _repo.Blocks.Commit();
        var zone = StoreZone.Fix(_repo); // names and recorded offsets are in the store's zone, whatever this process's TZ
        var record = new SnapshotRecord
        {
            Name = SnapshotNames.For(time, zone, _repo.OwnSnapshots().Select(s => s.Name)), // other hosts name theirs apart (HostNames)
            Time = TimeZoneInfo.ConvertTime(time, zone),
            Sources = sources.Select(s => s.Path).ToList(),
            Root = root,
            Complete = Interlocked.Read(ref _errors) == 0,
            Method = _options.Method,
            MethodReason = (_options.MethodReason ?? (previous is null ? "first snapshot" : "full walk")) + (guarantee.Length > 0 ? "; " + guarantee : ""),
            JournalCut = _options.JournalCut,
            JournalId = _options.JournalId,
            ChangedPaths = changedPaths,
            ChangedSince = previous?.Id ?? 0,
            ChangedCount = changed.Count,
            Note = _options.Note,
            PreId = _options.PreId,
            Stats = new SnapshotStats
            {
                Files = totals.Files, Directories = totals.Directories, LogicalBytes = totals.Bytes, TotalsCounted = true,
                VisitedFiles = _progress.Files, VisitedDirectories = _progress.Directories,
                BytesRead = _progress.BytesRead, NewBlocks = _repo.Blocks.NewBlocks, NewBytes = _repo.Blocks.NewRawBytes,
                StoredBytes = _repo.Blocks.NewStoredBytes, DurationMs = clock.ElapsedMilliseconds, Errors = Interlocked.Read(ref _errors),
                WholeFiles = _reads.WholeFiles, WholeBytes = _reads.WholeBytes, RangeFiles = _reads.RangeFiles,
                RangeFileBytes = _reads.RangeFileBytes, RangeBytesRead = _reads.RangeBytesRead, ReusedFiles = _reads.ReusedFiles,
            },
        };
        long id = _repo.CommitSnapshot(record);
        return new SnapshotResult(record with { Id = id }, _problems.ToList());
    }

    private void Problem(string message, bool isError = true)
    {
        if (isError) Interlocked.Increment(ref _errors);
        _problems.Enqueue(message);
        _report(message);
    }

    // A directory on the way to a source ("/", "/var" for source /var/www): its real metadata, only the source branch inside.
    private async Task<Node?> BuildSynthetic(byte[] path, byte[] name, SourceTrie trie, Node? previous)
    {
        // A source read from a point-in-time copy is opened there; below its root everything is opened by name from
        // its parent, so the recorded paths stay the live ones.
        var view = trie.Source is null ? null : ViewOf(path);
        byte[] readPath = view is null ? path : PathBytes.From(view.ReadPath);
        if (!TryStat(readPath, out var st)) return null;
        if (view is not null) st = view.Live(st);
        if (trie.Source is not null)
        {
            bool full = _options.Changes is not { } changes || previous is null || changes.MustWalk(PathBytes.Display(path))
                || changes.IsNewSubtree(path);
            if (st.Kind != FileKind.Directory)
            {
                using var parent = OpenDirectory(null, ParentOf(readPath), ParentOf(path));
                return parent is null ? null : await Entry(parent, path, name, st, previous, identityKept: false);
            }
            using var dir = OpenDirectory(null, readPath, path);
            if (dir is null) return Unreadable(name, st);
            return await WalkDirectory(dir, path, name, st, previous, st.Device, trie.Source, full, view);
        }
        if (st.Kind != FileKind.Directory) { Problem($"{PathBytes.Display(path)}: on the way to a source but not a directory"); return null; }
        var node = Node.FromStatus(name, st);
        node.Xattrs = Xattrs(path);
        var previousChildren = previous is { Kind: FileKind.Directory } ? _repo.Trees.ReadDirectory(previous.Content) : [];
        var children = new List<Node>();
        foreach (var (childName, childTrie) in trie.Children)
        {
            var child = await BuildSynthetic(PathBytes.Join(path, childName), childName, childTrie, TreeReader.Find(previousChildren, childName));
            if (child is not null) children.Add(child);
            else if (childTrie.Source is not null) Problem($"{PathBytes.Display(PathBytes.Join(path, childName))}: source does not exist or cannot be read");
        }
        node.Content = StoreDirectory(children);
        _progress.AddDirectory();
        return node;
    }

    // `full`: visit every entry. Otherwise (a journal-based snapshot) entries the journal does not touch keep their
    // recorded node without even a stat.
    // `dir` is the directory itself, open; it stays open until every entry in it has been read.
    // `view`: the point-in-time copy the source is read from (null: live); statuses are reported as the live tree's.
    private async Task<Node> WalkDirectory(SafeFileHandle dir, byte[] path, byte[] name, FileStatus st, Node? previous, ulong device, ExcludeRules excludes, bool full,
        SourceView? view)
    {
        _progress.CurrentPath = PathBytes.Display(path);
        var node = Node.FromStatus(name, st);
        node.Xattrs = Xattrs(dir, "."u8.ToArray(), path);
        _progress.AddDirectory();
        List<DirectoryEntryName> names;
        try { names = PosixFs.ReadDirectory(dir, path); }
        catch (PosixException e) { Problem(e.Message); node.Flags |= NodeFlags.Unreadable; return node; }
        names.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        var previousChildren = previous is { Kind: FileKind.Directory, Flags: NodeFlags.None } ? _repo.Trees.ReadDirectory(previous.Content) : [];
        var pending = new List<Task<Node>>(names.Count);
        foreach (var entry in names)
        {
            byte[] childPath = PathBytes.Join(path, entry.Name);
            if (excludes.IsExcluded(childPath, entry.Name)) continue;
            var prev = TreeReader.Find(previousChildren, entry.Name);
            if (!full && prev is not null && !_options.Changes!.Touches(childPath))
            {
                pending.Add(Task.FromResult(prev));
                continue;
            }
            if (!TryStat(dir, entry.Name, childPath, out var cst, out bool vanished))
            {
                if (!vanished) node.Flags |= NodeFlags.Unreadable; // an entry is missing: the directory is incomplete
                continue;
            }
            if (view is not null)
            {
                if (view.IsNestedPlaceholder(cst))
                {
                    // The live tree has another subvolume here, which the copy does not hold: recorded from the live
                    // tree as the mount point it is there (a walk never enters another filesystem).
                    if (!TryStat(childPath, out var live)) continue;
                    Problem($"{PathBytes.Display(childPath)}: a nested btrfs subvolume, not in the snapshot of {view.Source}: recorded as a mount point, like any other filesystem", isError: false);
                    _progress.AddDirectory();
                    pending.Add(Task.FromResult(Node.FromStatus(entry.Name, live)));
                    continue;
                }
                cst = view.Live(cst);
            }
            if (cst.Kind == FileKind.Directory)
            {
                if (cst.Device != device)
                {
                    // Another filesystem mounted here: record the mount point, not its content (like `find -xdev`).
                    var mountPoint = Node.FromStatus(entry.Name, cst);
                    _progress.AddDirectory();
                    pending.Add(Task.FromResult(mountPoint));
                }
                else
                {
                    bool childFull = full || prev is null || _options.Changes!.IsNewSubtree(childPath);
                    using var childDir = OpenDirectory(dir, entry.Name, childPath);
                    pending.Add(Task.FromResult(childDir is null ? Unreadable(entry.Name, cst)
                        : await WalkDirectory(childDir, childPath, entry.Name, cst, prev, device, excludes, childFull, view)));
                }
                continue;
            }
            if (cst.Kind == FileKind.Socket) { Problem($"{PathBytes.Display(childPath)}: socket skipped (sockets cannot be stored)", isError: false); continue; }
            // Ranges apply only where the previous content is this same file's: a journal snapshot (not a walk), outside
            // subtrees that appeared, and not a path that was created or renamed onto since.
            bool identityKept = !full && !_options.Changes!.IsNewSubtree(childPath);
            pending.Add(Entry(dir, childPath, entry.Name, cst, prev, identityKept));
        }
        var children = await Task.WhenAll(pending);
        node.Content = StoreDirectory(children);
        return node;
    }

    private SourceView? ViewOf(byte[] sourcePath)
    {
        string display = PathBytes.Display(sourcePath);
        foreach (var v in _options.Views) if (v.Source == display) return v;
        return null;
    }

    // A status as the live tree reports it (see SourceView).
    private FileStatus Live(FileStatus st)
    {
        foreach (var v in _options.Views) if (st.Device == v.ViewDevice) return v.Live(st);
        return st;
    }

    private static byte[] ParentOf(byte[] path)
    {
        int slash = path.AsSpan().LastIndexOf((byte)'/');
        return slash <= 0 ? "/"u8.ToArray() : path[..slash];
    }

    // A directory that could not be opened: its metadata, flagged, with no entries.
    private Node Unreadable(byte[] name, FileStatus st)
    {
        _progress.AddDirectory();
        var node = Node.FromStatus(name, st);
        node.Flags |= NodeFlags.Unreadable;
        return node;
    }

    private SafeFileHandle? OpenDirectory(SafeFileHandle? parent, byte[] name, byte[] path)
    {
        try { return PosixFs.OpenDirectoryAt(parent, name, path); }
        catch (PosixException e) { Problem(e.Message); return null; }
    }

    // `dir` is the open directory holding `name`.
    private Task<Node> Entry(SafeFileHandle dir, byte[] path, byte[] name, FileStatus st, Node? previous, bool identityKept)
    {
        // Other names of a hard-linked file may lie where the journal does not look: only a walk gets their content,
        // link count and ctime right. This holds for names in walked subtrees too (their other names need not be),
        // so in a journal-based snapshot any hard-linked file it meets makes the caller walk.
        if (_options.Changes is not null && st.Kind != FileKind.Directory && (st.Links > 1 || previous is { LinkId: not 0 }))
            throw new HardLinkChangedException(PathBytes.Display(path));
        var node = Node.FromStatus(name, st);
        node.Xattrs = Xattrs(dir, name, path);
        switch (st.Kind)
        {
            case FileKind.Symlink:
                try { node.LinkTarget = PosixFs.ReadLinkAt(dir, name, path); }
                catch (PosixException e) { Problem(e.Message); node.Flags |= NodeFlags.Unreadable; node.LinkTarget = []; }
                _progress.AddFile(0);
                return Task.FromResult(node);
            case FileKind.Regular:
                return RegularFile(dir, path, node, st, previous, identityKept);
            default:
                _progress.AddFile(0);
                return Task.FromResult(node);
        }
    }

    private async Task<Node> RegularFile(SafeFileHandle dir, byte[] path, Node node, FileStatus st, Node? previous, bool identityKept)
    {
        _progress.AddFile(st.Size);
        if (st.Size == 0) return node;
        if (!_options.RereadAll && previous is not null && ContentReuse.Allowed(previous, node))
        {
            node.Content = previous.Content; // unchanged content: not read again
            _reads.Reused();
            return node;
        }
        // The previous content, for a range tracker to patch: only the same file's (see identityKept), whole and readable.
        var basis = identityKept && !_options.RereadAll && _options.Ranges is not null
            && previous is { Kind: FileKind.Regular, Flags: NodeFlags.None } ? previous.Content : (StreamRef?)null;
        if (node.LinkId != 0)
        {
            // Names of one file: read it once, give every name the same content.
            var first = _hardLinks.GetOrAdd(node.LinkId, _ => ReadContent(dir, path, node, null));
            if (!ReferenceEquals(await first, node))
            {
                var read = await first;
                node.Content = read.Content; node.Size = read.Size; node.Blocks = read.Blocks;
                node.MTimeNs = read.MTimeNs; node.CTimeNs = read.CTimeNs; node.Flags = read.Flags;
            }
            return node;
        }
        return await ReadContent(dir, path, node, basis);
    }

    // `basis`: the previous content of this same file, when a range tracker may say which parts of it to read again.
    private async Task<Node> ReadContent(SafeFileHandle dir, byte[] path, Node node, StreamRef? basis)
    {
        await _readers.WaitAsync();
        try
        {
            return await Task.Run(() =>
            {
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var handle = PosixFs.OpenReadAt(dir, node.Name, path);
                        var before = Live(PosixFs.FStat(handle, path));
                        var ranges = basis is { } b ? _options.Ranges!.Lookup(handle, before, path) : null;
                        var (stream, read) = ranges is null
                            ? _chunker.Write(handle, before.Size, path, _progress.AddRead)
                            : _rangeChunker.Write(handle, before.Size, basis!.Value, ranges, path, _progress.AddRead);
                        var after = Live(PosixFs.FStat(handle, path));
                        node.Content = stream;
                        // The size is that of the content stored (the size when reading began): a file that grew while
                        // it was read must not claim bytes the store does not hold.
                        node.Size = stream.Length; node.Blocks = after.Blocks; node.MTimeNs = after.MTimeNs; node.CTimeNs = after.CTimeNs;
                        if (before.StableAgainst(after) && read <= after.Size)
                        {
                            if (ranges is null) _reads.Whole(read);
                            else if (read == 0) _reads.Reused();
                            else _reads.Ranges(stream.Length, read);
                            return node;
                        }
                        if (attempt >= _options.StabilityRetries)
                        {
                            node.Flags |= NodeFlags.Unstable;
                            _reads.Whole(read);
                            Problem($"{PathBytes.Display(path)}: kept changing while being read; recorded as unstable", isError: false);
                            return node;
                        }
                    }
                    catch (PosixException e)
                    {
                        Problem(e.Message);
                        node.Flags |= NodeFlags.Unreadable;
                        node.Content = StreamRef.Empty;
                        return node;
                    }
                    catch (IOException e) when (e is not BlockReadException && !IsStoreFailure(e))
                    {
                        Problem($"{PathBytes.Display(path)}: {e.Message}");
                        node.Flags |= NodeFlags.Unreadable;
                        node.Content = StreamRef.Empty;
                        return node;
                    }
                }
            });
        }
        finally { _readers.Release(); }
    }

    // A failure writing the store (disk full) ends the snapshot; a failure reading a source file does not.
    private bool IsStoreFailure(IOException e) => e.Message.StartsWith(_repo.Layout.Root, StringComparison.Ordinal);

    private StreamRef StoreDirectory(IReadOnlyList<Node> children) =>
        children.Count == 0 ? StreamRef.Empty : _chunker.WriteBytes(DirectoryCodec.Encode(children), BlockType.Directory);

    private bool TryStat(byte[] path, out FileStatus st)
    {
        _progress.AddStat();
        try { st = PosixFs.LStat(path); return true; }
        catch (PosixException e)
        {
            st = default;
            if (e.Errno != 2) Problem(e.Message); // ENOENT: removed while we walked, not an error
            return false;
        }
    }

    private List<KeyValuePair<byte[], byte[]>> Xattrs(byte[] path)
    {
        try { return PosixFs.ReadXattrs(path); }
        catch (PosixException e) { Problem(e.Message); return []; }
    }

    private List<KeyValuePair<byte[], byte[]>> Xattrs(SafeFileHandle dir, byte[] name, byte[] path)
    {
        try { return PosixFs.ReadXattrsAt(dir, name, path); }
        catch (PosixException e) { Problem(e.Message); return []; }
    }

    // `vanished`: removed since the listing (ENOENT), which is no error.
    private bool TryStat(SafeFileHandle dir, byte[] name, byte[] path, out FileStatus st, out bool vanished)
    {
        _progress.AddStat();
        vanished = false;
        try { st = PosixFs.LStatAt(dir, name, path); return true; }
        catch (PosixException e)
        {
            st = default;
            vanished = e.Errno == 2;
            if (!vanished) Problem(e.Message);
            return false;
        }
    }
}
