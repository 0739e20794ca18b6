// Checks a store. Structure: arenas scan clean, index segments intact, every block a snapshot refers to is indexed,
// every directory and pointer block decodes, and arenas full of blocks are not left without a snapshot (a lost
// catalog). With read-data: every block is read and its score recomputed. A bad block (damaged, or missing from the
// index, e.g. dropped by `index rebuild`) is reported with every snapshot path that uses it.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Maintenance;

/// <summary>One problem: the message, and where it lies when that is a snapshot path or a block.</summary>
public sealed record VerifyProblem(string Message, string? Snapshot = null, string? Path = null, string? Block = null)
{
    public override string ToString() => Message;
}

public sealed record VerifyResult(long BlocksChecked, long SnapshotsChecked, IReadOnlyList<VerifyProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool Ok => Problems.Count == 0;
}

public sealed class StoreVerifier(Repository repo, Action<string>? report = null, WorkProgress? progress = null)
{
    private readonly List<VerifyProblem> _problems = [];
    private readonly List<string> _notes = [];
    private readonly HashSet<Score> _checkedTrees = [];
    private readonly HashSet<Score> _bad = [];        // damaged (read back wrong) or missing from the index
    private readonly HashSet<Score> _damaged = [];    // of those, the ones read back wrong
    private readonly Dictionary<Score, bool> _badSubtrees = [];
    private readonly WorkProgress _progress = progress ?? new WorkProgress();
    private long _blocks;

    private readonly HashSet<string> _said = [];

    private void Problem(VerifyProblem p)
    {
        if (!_said.Add(p.Message)) return; // the same path met by both walks
        _problems.Add(p);
        report?.Invoke(p.Message);
    }
    private void Problem(string m) => Problem(new VerifyProblem(m));
    private void Note(string m) { _notes.Add(m); report?.Invoke("note: " + m); }

    public VerifyResult Run(bool readData)
    {
        foreach (var p in StorePermissions.CheckFiles(repo.Layout)) Problem(p);
        CheckArenas();
        foreach (var seg in repo.Blocks.Index.Segments) if (seg.Check() is { } p) Problem(p);
        if (readData) ReadEveryBlock();
        var (snapshots, damagedRecords, legacy) = repo.Catalog.ReadSnapshots();
        foreach (var d in damagedRecords)
            Problem($"{repo.Layout.Catalog}: snapshot record {d.Id} is damaged and left out: {d.Problem}; every other snapshot is unaffected");
        if (legacy > 0) Note($"{repo.Layout.Catalog}: {legacy} snapshot records were written before records carried checksums; they are read unchecked");
        CheckSnapshotsExist(snapshots.Count + damagedRecords.Count);
        _progress.Begin("snapshots", snapshots.Count);
        foreach (var s in snapshots) { CheckTree(s, s.Root, "/"u8.ToArray()); _progress.Add(1, 0); }
        // Every path of every snapshot that uses a bad block, not only the first one met (subtrees are shared).
        if (_bad.Count > 0) foreach (var s in snapshots) ReportUses(s, s.Root, "/"u8.ToArray());
        return new VerifyResult(_blocks, snapshots.Count, _problems, _notes);
    }

    private void ReadEveryBlock()
    {
        _progress.Begin("blocks", repo.Blocks.Index.Segments.Sum(s => s.Count));
        long collected = 0;
        foreach (var e in repo.Blocks.Index.CommittedEntries())
        {
            // A store in a bucket: garbage collection condemned or deleted this arena; no snapshot may use its blocks
            // (CheckTree reads every block a snapshot uses, wherever the index finds a copy).
            if (repo.Blocks.Index.Excluded.Contains(e.Location.Arena)) { collected++; continue; }
            _blocks++;
            try { repo.Blocks.ReadEntry(e, verifyScore: true); }
            catch (BlockReadException ex) { _bad.Add(e.Score); _damaged.Add(e.Score); Problem(new VerifyProblem(ex.Message, Block: e.Score.ToString())); }
            _progress.Add(1, e.Location.RawLength);
        }
        if (collected > 0) Note($"{collected} index entries name arenas garbage collection condemned or deleted; their blocks were not read");
    }

    // Blocks in the arenas and no snapshot to name them: the catalog was lost or swapped, unless the user said so.
    private void CheckSnapshotsExist(int snapshots)
    {
        long data = Repository.ArenaDataBytes(repo.Layout);
        if (snapshots > 0 || data == 0) return;
        // The catalog's own records (a new store's sources) are not blocks of a snapshot; snapshot records are a lost catalog's.
        long records = 0, snapshotRecords = 0;
        foreach (var f in Catalog.Records.CatalogRecordScan.Records(repo.Layout, _ => { }))
        {
            records += f.Location.RecordLength;
            if (f.Record is Catalog.Records.SnapshotCommitted) snapshotRecords++;
        }
        data -= records;
        if (data <= 0 && snapshotRecords == 0) return;
        string what = $"{repo.Layout.Catalog}: the arenas hold {data} bytes of blocks, but the catalog records no snapshot";
        if (snapshotRecords > 0 && repo.Catalog.Setting(StoreCatalog.ForgottenSnapshots) is null && repo.Catalog.Setting(StoreCatalog.NewCatalogOverBlocks) is null)
        {
            Problem($"{what}, while the arenas hold the records of {snapshotRecords} snapshots: the catalog was lost or replaced; {StoreCatalog.RebuildHint}");
            return;
        }
        if (repo.Catalog.Setting(StoreCatalog.ForgottenSnapshots) is { } forgotten)
            Note($"{what} ({forgotten} forgotten with `timetravel forget`; their blocks stay until garbage collection)");
        else if (repo.Catalog.Setting(StoreCatalog.NewCatalogOverBlocks) is { } since)
            Note($"{what} (a new catalog was started over the old blocks on {since})");
        else if (repo.Catalog.Setting(StoreCatalog.FirstWriter) is not null)
            Note($"{what}: no snapshot has finished yet (interrupted?); the next snapshot reuses these blocks");
        else
            Problem($"{what}, nor was one ever started with it: the catalog was lost or replaced (by a copy from before " +
                "the first snapshot, or another store's), and with it every snapshot; put back the right copy of catalog.db");
    }

    private void CheckArenas()
    {
        var numbers = repo.Blocks.Arenas.List();
        var manifest = repo.Blocks.Index.Manifest;
        var unfinished = Collection.CollectionRecovery.UnfinishedArenas(repo.Layout, manifest);
        uint lastAppended = numbers.LastOrDefault(n => !ArenaFormat.IsCompacted(n));
        long total = numbers.Sum(n => FileLength(repo.Blocks.Arenas.PathOf(n)));
        _progress.Begin("arenas", numbers.Count, total);
        foreach (uint n in numbers)
        {
            string path = repo.Blocks.Arenas.PathOf(n);
            if (unfinished(n))
            {
                // No index names it: a garbage collection is writing it, or was killed while it did (the next gc removes it).
                Note($"{path}: being written by a garbage collection that has not switched the index yet (an interrupted one is undone by the next `timetravel gc`)");
                continue;
            }
            if (!File.Exists(path)) continue; // deleted by a garbage collection since it was listed
            var result = new ScanResult();
            try { foreach (var _ in ArenaPass.Records(path, n, result, _progress)) { } }
            catch (StoreFormatException e) { Problem(e.Message); continue; }
            foreach (var (offset, length) in result.Corrupt) Problem($"{path}: {length} damaged bytes at offset {offset}");
            if (result.TornTail)
            {
                string torn = $"{path}: unreadable data after offset {result.ValidEnd} (a torn write; the next snapshot cuts it off)";
                // A crash mid-append leaves this at the end of the last arena, past everything indexed: nothing refers to it.
                bool pastIndex = n > manifest.WatermarkArena || (n == manifest.WatermarkArena && result.ValidEnd >= manifest.WatermarkOffset);
                if (n == lastAppended && pastIndex) Note(torn);
                else Problem(torn);
            }
        }
    }

    private static long FileLength(string path)
    {
        try { return new FileInfo(path).Length; } catch (IOException) { return 0; }
    }

    // Walks a snapshot's tree once per distinct subtree: structural problems are reported at the first path met;
    // bad blocks are collected and reported per path afterwards (ReportUses).
    private void CheckTree(SnapshotRecord snap, Node dir, byte[] path)
    {
        if (dir.Content.IsEmpty) return;
        if (!_checkedTrees.Add(dir.Content.Root)) return;
        Node[] children;
        try
        {
            CheckStream(snap, dir.Content, path);
            children = repo.Trees.ReadDirectory(dir.Content);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Problem(new VerifyProblem($"snapshot {snap.Name}: {PathBytes.Display(path)}: directory unreadable: {e.Message}", snap.Name, PathBytes.Display(path)));
            return;
        }
        foreach (var c in children)
        {
            var childPath = PathBytes.Join(path, c.Name);
            if (c.Kind == FileKind.Directory) CheckTree(snap, c, childPath);
            else if (!c.Content.IsEmpty && _checkedTrees.Add(c.Content.Root))
            {
                try { CheckStream(snap, c.Content, childPath); }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    Problem(new VerifyProblem($"snapshot {snap.Name}: {PathBytes.Display(childPath)}: {e.Message}", snap.Name, PathBytes.Display(childPath)));
                }
            }
        }
    }

    private void CheckStream(SnapshotRecord snap, StreamRef stream, byte[] path)
    {
        long total = 0;
        string Where() => $"snapshot {snap.Name}: {PathBytes.Display(path)}";
        foreach (var leaf in Leaves(stream))
        {
            total += leaf.Length;
            if (leaf.IsHole || _bad.Contains(leaf.Score)) continue;
            if (!repo.Blocks.TryLocate(leaf.Score, out var loc))
            {
                _bad.Add(leaf.Score);
                Problem(new VerifyProblem($"block {leaf.Score.Short} is missing from the index (`timetravel index rebuild` re-indexes what the arenas hold)", Block: leaf.Score.ToString()));
            }
            else if (loc.RawLength != leaf.Length)
                Problem(new VerifyProblem($"{Where()}: block {leaf.Score.Short} has {loc.RawLength} bytes, pointer says {leaf.Length}", snap.Name, PathBytes.Display(path), leaf.Score.ToString()));
        }
        if (total != stream.Length)
            Problem(new VerifyProblem($"{Where()}: stream covers {total} bytes, expected {stream.Length}", snap.Name, PathBytes.Display(path)));
    }

    private IEnumerable<StreamLeaf> Leaves(StreamRef stream) => repo.Trees.Streams.Leaves(stream);

    // The bad blocks a stream uses (its pointer blocks included), with the offset where each begins; a pointer block
    // that cannot be read (damaged below the root) makes the whole stream bad, with the reason.
    private (List<(Score Block, long Offset)> Found, string? Unreadable) BadBlocksOf(StreamRef stream)
    {
        var found = new List<(Score, long)>();
        if (stream.IsEmpty) return (found, null);
        if (stream.Depth > 0 && _bad.Contains(stream.Root)) { found.Add((stream.Root, 0)); return (found, null); }
        try
        {
            foreach (var leaf in Leaves(stream))
                if (!leaf.IsHole && _bad.Contains(leaf.Score)) found.Add((leaf.Score, leaf.Offset));
            return (found, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException) { return (found, e.Message); }
    }

    private bool IsBad(StreamRef stream) => BadBlocksOf(stream) is var (found, unreadable) && (found.Count > 0 || unreadable != null);

    private bool SubtreeIsBad(Node dir)
    {
        if (dir.Content.IsEmpty) return false;
        if (_badSubtrees.TryGetValue(dir.Content.Root, out bool bad)) return bad;
        bad = IsBad(dir.Content);
        if (!bad)
        {
            try
            {
                foreach (var c in repo.Trees.ReadDirectory(dir.Content))
                    if (c.Kind == FileKind.Directory ? SubtreeIsBad(c) : IsBad(c.Content)) { bad = true; break; }
            }
            catch (Exception e) when (e is IOException or InvalidDataException) { }
        }
        _badSubtrees[dir.Content.Root] = bad;
        return bad;
    }

    private void ReportUses(SnapshotRecord snap, Node node, byte[] path)
    {
        if (node.Kind == FileKind.Directory && !SubtreeIsBad(node)) return;
        var (found, unreadable) = BadBlocksOf(node.Content);
        if (unreadable != null)
            Problem(new VerifyProblem($"snapshot {snap.Name}: {PathBytes.Display(path)}: {unreadable}", snap.Name, PathBytes.Display(path)));
        foreach (var (block, offset) in found)
        {
            string how = _damaged.Contains(block) ? "" : " (missing from the index)";
            Problem(new VerifyProblem($"snapshot {snap.Name}: {PathBytes.Display(path)} uses damaged block {block.Short} at offset {offset}{how}",
                snap.Name, PathBytes.Display(path), block.ToString()));
        }
        if (node.Kind != FileKind.Directory) return;
        Node[] children;
        try { children = repo.Trees.ReadDirectory(node.Content); }
        catch (Exception e) when (e is IOException or InvalidDataException) { return; }
        foreach (var c in children) ReportUses(snap, c, PathBytes.Join(path, c.Name));
    }
}
