// Checks a store. Structure: arenas scan clean, index segments intact, every block a snapshot refers to is indexed,
// every directory and pointer block decodes. With read-data: every block is read and its score recomputed; a damaged
// block is reported with every snapshot path that uses it.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Maintenance;

public sealed record VerifyResult(long BlocksChecked, long SnapshotsChecked, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

public sealed class StoreVerifier(Repository repo, Action<string>? report = null)
{
    private readonly List<string> _problems = [];
    private readonly HashSet<Score> _checkedTrees = [];
    private long _blocks;

    private void Problem(string m) { _problems.Add(m); report?.Invoke(m); }

    public VerifyResult Run(bool readData)
    {
        CheckArenas();
        foreach (var seg in repo.Blocks.Index.Segments) if (seg.Check() is { } p) Problem(p);
        var damaged = new HashSet<Score>();
        if (readData)
        {
            foreach (var e in repo.Blocks.Index.CommittedEntries())
            {
                _blocks++;
                try { repo.Blocks.Arenas.Read(e.Location, e.Score, verifyScore: true); }
                catch (BlockReadException ex) { damaged.Add(e.Score); Problem(ex.Message); }
            }
        }
        var snapshots = repo.Catalog.Snapshots();
        foreach (var s in snapshots) CheckTree(s, s.Root, "/"u8.ToArray(), damaged);
        return new VerifyResult(_blocks, snapshots.Count, _problems);
    }

    private void CheckArenas()
    {
        var numbers = repo.Blocks.Arenas.List();
        var manifest = repo.Blocks.Index.Manifest;
        foreach (uint n in numbers)
        {
            string path = repo.Blocks.Arenas.PathOf(n);
            var result = new ScanResult();
            try
            {
                using (var h = File.OpenRead(path))
                {
                    var header = new byte[ArenaFormat.HeaderSize];
                    if (h.Read(header) != header.Length) { Problem($"{path}: shorter than an arena header"); continue; }
                    ArenaHeader.Unpack(header, path);
                }
                foreach (var _ in ArenaScanner.Scan(path, 0, result)) { }
            }
            catch (StoreFormatException e) { Problem(e.Message); continue; }
            foreach (var (offset, length) in result.Corrupt) Problem($"{path}: {length} damaged bytes at offset {offset}");
            if (result.TornTail)
            {
                string torn = $"{path}: unreadable data after offset {result.ValidEnd} (a torn write; the next snapshot cuts it off)";
                // A crash mid-append leaves this at the end of the last arena, past everything indexed: nothing refers to it.
                bool pastIndex = n > manifest.WatermarkArena || (n == manifest.WatermarkArena && result.ValidEnd >= manifest.WatermarkOffset);
                if (n == numbers[^1] && pastIndex) report?.Invoke("note: " + torn);
                else Problem(torn);
            }
        }
    }

    // Walks a snapshot's tree. Subtrees already checked are skipped unless damaged blocks need their paths reported.
    private void CheckTree(SnapshotRecord snap, Node dir, byte[] path, HashSet<Score> damaged)
    {
        if (dir.Content.IsEmpty) return;
        if (damaged.Count == 0 && !_checkedTrees.Add(dir.Content.Root)) return;
        Node[] children;
        try
        {
            CheckStream(snap, dir.Content, path, damaged);
            children = repo.Trees.ReadDirectory(dir.Content);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Problem($"snapshot {snap.Name}: {PathBytes.Display(path)}: directory unreadable: {e.Message}");
            return;
        }
        foreach (var c in children)
        {
            var childPath = PathBytes.Join(path, c.Name);
            if (c.Kind == FileKind.Directory) CheckTree(snap, c, childPath, damaged);
            else if (!c.Content.IsEmpty && (damaged.Count > 0 || _checkedTrees.Add(c.Content.Root)))
            {
                try { CheckStream(snap, c.Content, childPath, damaged); }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    Problem($"snapshot {snap.Name}: {PathBytes.Display(childPath)}: {e.Message}");
                }
            }
        }
    }

    private void CheckStream(SnapshotRecord snap, StreamRef stream, byte[] path, HashSet<Score> damaged)
    {
        long total = 0;
        if (stream.Depth > 0 && damaged.Contains(stream.Root))
            Problem($"snapshot {snap.Name}: {PathBytes.Display(path)} uses damaged block {stream.Root.Short}");
        foreach (var leaf in repo.Trees.Streams.Leaves(stream))
        {
            total += leaf.Length;
            if (leaf.IsHole) continue;
            if (damaged.Contains(leaf.Score))
                Problem($"snapshot {snap.Name}: {PathBytes.Display(path)} uses damaged block {leaf.Score.Short} at offset {leaf.Offset}");
            else if (!repo.Blocks.TryLocate(leaf.Score, out var loc))
                Problem($"snapshot {snap.Name}: {PathBytes.Display(path)}: block {leaf.Score.Short} is missing from the index");
            else if (loc.RawLength != leaf.Length)
                Problem($"snapshot {snap.Name}: {PathBytes.Display(path)}: block {leaf.Score.Short} has {loc.RawLength} bytes, pointer says {leaf.Length}");
        }
        if (total != stream.Length) Problem($"snapshot {snap.Name}: {PathBytes.Display(path)}: stream covers {total} bytes, expected {stream.Length}");
    }
}
