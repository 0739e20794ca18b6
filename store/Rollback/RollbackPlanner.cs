// Decides what a rollback does at each changed path. The changed paths come from TreeDiff between the current state
// (the undo snapshot) and the snapshot rolled back to, which skips every subtree whose score is unchanged, so the cost
// follows the changes and not the size of the tree. Each path is then compared with what is there NOW (lstat, and
// for a regular file its content against the snapshot's block scores when its stamp moved since the undo snapshot),
// so a rerun after an interruption finds done what is done.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Restore;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Rollback;

internal sealed class RollbackPlanner(Repository repo, SnapshotRecord target, SnapshotRecord current, RollbackRequest request)
{
    private readonly SourceTrie _sources = SourceTrie.Build(repo.Catalog.Sources(), repo.Layout.Root);
    private readonly ExcludeRules _excludes = new(request.Excludes);
    private readonly List<byte[]> _roots = repo.Catalog.Sources().Select(s => PathBytes.From(s.Path)).ToList();
    private readonly StoreTreeSource _store = new(repo.Trees);
    // Hard-link groups of the snapshot (by link id): the first name met in tree order, and where it is now.
    private readonly Dictionary<ulong, (byte[] Path, FileStatus? Live, bool Rewritten)> _links = [];

    private sealed class Entry
    {
        public Node? Before, After;
        public bool Whole; // added or removed as a whole (a new name, or a changed kind)
        public bool ContentChanged;
    }

    public List<RollbackStep> Plan()
    {
        var entries = new Dictionary<byte[], Entry>(PathBytes.EqualityComparer);
        var order = new List<byte[]>();
        var diff = new TreeDiff(repo.Trees) { ReportLinkChanges = true, ReportDirectoryTimes = true };
        foreach (var scope in request.Paths.Count == 0 ? ["/"u8.ToArray()] : request.Paths)
            foreach (var change in diff.Between(current, target, scope))
            {
                if (!entries.TryGetValue(change.Path, out var e))
                {
                    entries[change.Path] = e = new Entry();
                    order.Add(change.Path);
                }
                e.Before ??= change.Before;
                e.After ??= change.After;
                e.Whole |= change.Kind != TreeChangeKind.Changed;
                e.ContentChanged |= change.ContentChanged;
            }
        var steps = new List<RollbackStep>();
        foreach (var path in order)
            if (Applies(path)) steps.Add(Classify(path, entries[path]));
        return steps;
    }

    /// <summary>
    /// In a source and not excluded by it (which keeps the store out too), not excluded by --exclude, not our own
    /// temporary file. As with the sources' excludes, only the names below the source's root are matched: a source
    /// /srv/www is not excluded by `--exclude www`.
    /// </summary>
    private bool Applies(byte[] path)
    {
        if (!_sources.Covers(path)) return false;
        int below = _roots.Where(r => IsUnder(r, path)).Select(r => PathBytes.Components(r).Count).DefaultIfEmpty(0).Min();
        var prefix = "/"u8.ToArray();
        var names = PathBytes.Components(path);
        for (int i = 0; i < names.Count; i++)
        {
            prefix = PathBytes.Join(prefix, names[i]);
            if (i < below) continue;
            if (_excludes.IsExcluded(prefix, names[i]) || names[i].AsSpan().StartsWith(RestoreRun.TemporaryPrefix)) return false;
        }
        return true;
    }

    private static bool IsUnder(byte[] dir, byte[] path) =>
        path.AsSpan().StartsWith(dir) && (path.Length == dir.Length || path[dir.Length] == (byte)'/' || dir is [(byte)'/']);

    private RollbackStep Classify(byte[] path, Entry e)
    {
        var t = e.After;
        bool exists = PosixFs.TryLStat(path, out var live);
        if (t is null)
            return exists
                ? new RollbackStep(path, RollbackStep.Remove, $"{Kind(live.Kind)} created since {target.Name}")
                : new RollbackStep(path, RollbackStep.Unchanged, "already removed");
        if (!exists)
            return Leaf(new RollbackStep(path, RollbackStep.Create, e.Before is null ? $"removed since {target.Name}" : "missing") { Target = t }, t, null);
        if (live.Kind != t.Kind)
            return Leaf(new RollbackStep(path, RollbackStep.Replace, $"is a {Kind(live.Kind)}, was a {Kind(t.Kind)}") { Target = t }, t, null);
        if (t.Kind == FileKind.Directory)
        {
            // A directory the snapshot has and the undo point did not, yet here: an interrupted rollback began it.
            if (e.Whole) return new RollbackStep(path, RollbackStep.Create, "finishing a directory an interrupted rollback began") { Target = t };
            string? meta = MetadataDifference(path, live, t, times: false);
            return new RollbackStep(path, meta is null ? RollbackStep.Unchanged : RollbackStep.Metadata, meta ?? "same") { Target = t };
        }
        if (t.LinkId != 0 && _links.TryGetValue(t.LinkId, out var first))
        {
            // A later name of a hard-linked file: it must be the very file of the group's first name.
            bool same = !first.Rewritten && first.Live is { } f && (f.Device, f.Inode) == (live.Device, live.Inode);
            return same ? new RollbackStep(path, RollbackStep.Unchanged, $"already a hard link to {PathBytes.Display(first.Path)}") { Target = t }
                : new RollbackStep(path, RollbackStep.Replace, $"hard link to {PathBytes.Display(first.Path)}") { Target = t };
        }
        string? content = ContentDifference(path, live, t, e);
        if (content is not null) return Leaf(new RollbackStep(path, RollbackStep.Replace, content) { Target = t }, t, live);
        string? metadata = MetadataDifference(path, live, t, times: true);
        // A file of its own in the snapshot that now shares its inode with other names: a change in place would change
        // them too, so it gets an inode of its own.
        if (metadata is not null && t.LinkId == 0 && live.Links > 1)
            return new RollbackStep(path, RollbackStep.Replace, $"{metadata}; its own file, now a hard link") { Target = t };
        return Leaf(new RollbackStep(path, metadata is null ? RollbackStep.Unchanged : RollbackStep.Metadata, metadata ?? "same") { Target = t }, t, live);
    }

    // The first name of a hard-link group: later names are linked to it (rewritten: it gets a new inode).
    private RollbackStep Leaf(RollbackStep step, Node t, FileStatus? live)
    {
        if (t.Kind != FileKind.Directory && t.LinkId != 0)
            _links.TryAdd(t.LinkId, (step.Path, live, step.Action is RollbackStep.Create or RollbackStep.Replace));
        return step;
    }

    private string? ContentDifference(byte[] path, FileStatus live, Node t, Entry e)
    {
        switch (t.Kind)
        {
            case FileKind.Symlink:
                return PosixFs.ReadLink(path).AsSpan().SequenceEqual(t.LinkTarget ?? []) ? null : "symlink target changed";
            case FileKind.CharDevice or FileKind.BlockDevice:
                return live.RDev == t.RDev ? null : "device number changed";
            case FileKind.Regular:
                // Untouched since the undo snapshot: the diff knows. Else (a rerun, a write since) compare with the blocks' scores.
                if (e.Before is { Kind: FileKind.Regular } b && live.Size == b.Size && live.MTimeNs == b.MTimeNs && live.CTimeNs == b.CTimeNs)
                    return e.ContentChanged ? "content changed" : null;
                if (live.Size != t.Size) return "content changed";
                try { return _store.ContentMatches(t, path) ? null : "content changed"; }
                catch (Exception x) when (x is IOException or UnauthorizedAccessException or InvalidDataException) { return "content changed"; }
            default:
                return null;
        }
    }

    /// <summary>"mode 0755 -> 0644; owner 1000:1000 -> 0:0; mtime; xattrs", or null when the metadata matches.</summary>
    private static string? MetadataDifference(byte[] path, FileStatus live, Node t, bool times)
    {
        var parts = new List<string>();
        if (t.Kind != FileKind.Symlink && live.Permissions != t.Mode) parts.Add($"mode {Octal(live.Permissions)} -> {Octal(t.Mode)}");
        if (live.Uid != t.Uid || live.Gid != t.Gid) parts.Add($"owner {live.Uid}:{live.Gid} -> {t.Uid}:{t.Gid}");
        if (times && live.MTimeNs != t.MTimeNs) parts.Add("mtime");
        if (!NodeComparison.SameXattrs(PosixFs.ReadXattrs(path), t.Xattrs)) parts.Add("xattrs");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Octal(uint mode) => "0" + Convert.ToString(mode, 8).PadLeft(3, '0');

    private static string Kind(FileKind kind) => kind switch
    {
        FileKind.Regular => "file", FileKind.Directory => "directory", FileKind.Symlink => "symlink", FileKind.Fifo => "fifo",
        FileKind.CharDevice => "character device", FileKind.BlockDevice => "block device", FileKind.Socket => "socket", _ => "file",
    };
}
