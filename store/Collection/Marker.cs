// The mark phase: from every kept snapshot, every block it reaches is marked live — the root directory's stream
// (pointer blocks, then its data blocks, decoded into entries), each entry's content stream (a file's pointer blocks
// expanded, its data blocks marked but never read), and the snapshot's ChangedPaths stream. A subtree whose root is
// already expanded in the same role is skipped, so marking a thousand snapshots of one tree costs little more than
// marking one: only the directories on the path to each change are read again. Holes are not blocks. A block that
// cannot be found or read stops the collection before anything is changed: freeing blocks on a partial mark would
// lose whatever the unread part reaches.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Index;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Collection;

/// <summary>The store is damaged where the mark went: gc stops and changes nothing.</summary>
public sealed class MarkDamageException(string message) : StoreException(message);

public sealed class Marker(MarkSet marks, Func<Score, IndexEntry?> locateLater, Func<MarkSlot, byte[]> read)
{
    /// <summary>Called for each block the marking makes live that was not (the switch revives such blocks).</summary>
    public Action<MarkSlot>? NewlyLive { get; set; }

    public long BlocksRead { get; private set; }
    public long BlocksMarked { get; private set; }

    private string _what = "";

    /// <summary>Marks everything a snapshot reaches: its tree and its ChangedPaths stream.</summary>
    public void MarkSnapshot(SnapshotRecord snapshot)
    {
        _what = $"snapshot {snapshot.Name}";
        if (snapshot.Root.Kind == FileKind.Directory) MarkTree(snapshot.Root.Content);
        else MarkFile(snapshot.Root.Content);
        MarkFile(snapshot.ChangedPaths);
    }

    /// <summary>Marks a block that is live on its own (a catalog-record block): no children.</summary>
    public void MarkBlock(in Score score, string what)
    {
        _what = what;
        Mark(score, BlockRole.Data);
    }

    // Directories still to expand; an explicit stack, as a tree may be deeper than the thread's stack allows.
    private readonly Stack<StreamRef> _directories = new();

    private void MarkTree(StreamRef root)
    {
        _directories.Push(root);
        while (_directories.TryPop(out var dir))
        {
            if (dir.IsEmpty) continue;
            var (slot, expand) = Mark(dir.Root, BlockRole.Directory);
            if (!expand) continue;
            byte[] encoded = ReadDirectoryStream(dir, slot);
            List<Node> children;
            try { children = DirectoryCodec.Decode(encoded, dir.Root.Short).ToList(); }
            catch (InvalidDataException e) { throw Damage($"directory block {dir.Root} does not decode: {e.Message}"); }
            foreach (var c in children)
            {
                if (c.Content.IsEmpty) continue;
                if (c.Kind == FileKind.Directory) _directories.Push(c.Content);
                else MarkFile(c.Content);
            }
        }
    }

    // A directory's encoding, whole: its pointer blocks (marked as such too) and its data blocks, which are read.
    private byte[] ReadDirectoryStream(StreamRef dir, MarkSlot rootSlot)
    {
        if (dir.Depth == 0) return Read(rootSlot);
        if (dir.Length > int.MaxValue) throw Damage($"directory stream {dir.Root} claims {dir.Length} bytes");
        marks.Mark(rootSlot, BlockRole.Pointer);
        var result = new byte[dir.Length];
        long offset = 0;
        void Leaves(MarkSlot pointer, int depth)
        {
            foreach (var e in Pointers(pointer))
            {
                if (e.Kind == PointerKind.Hole) { offset += e.Length; continue; }
                if (depth == 1)
                {
                    var (leaf, _) = Mark(e.Score, BlockRole.Data);
                    var data = Read(leaf);
                    if (data.Length != e.Length || offset + data.Length > result.Length)
                        throw Damage($"block {e.Score} of directory stream {dir.Root} has {data.Length} bytes where its pointer says {e.Length}");
                    data.CopyTo(result, offset);
                    offset += data.Length;
                }
                else
                {
                    var (child, _) = Mark(e.Score, BlockRole.Pointer);
                    Leaves(child, depth - 1);
                }
            }
        }
        Leaves(rootSlot, dir.Depth);
        return result;
    }

    private void MarkFile(StreamRef stream)
    {
        if (stream.IsEmpty) return;
        if (stream.Depth == 0) { Mark(stream.Root, BlockRole.Data); return; }
        ExpandPointer(stream.Root, stream.Depth);
    }

    // A file's pointer block: its children marked (leaves) or expanded (pointer blocks below), once per block.
    private void ExpandPointer(in Score score, int depth)
    {
        var (slot, expand) = Mark(score, BlockRole.Pointer);
        if (!expand) return;
        foreach (var e in Pointers(slot))
        {
            if (e.Kind == PointerKind.Hole) continue;
            if (depth == 1) Mark(e.Score, BlockRole.Data);
            else ExpandPointer(e.Score, depth - 1);
        }
    }

    private PointerEntry[] Pointers(in MarkSlot slot)
    {
        try { return PointerBlock.Unpack(Read(slot), slot.Entry.Score); }
        catch (InvalidDataException e) { throw Damage(e.Message); }
    }

    private (MarkSlot Slot, bool Expand) Mark(in Score score, BlockRole role)
    {
        if (score == Score.Zero) throw Damage($"a zero score where a {role.ToString().ToLowerInvariant()} block should be");
        MarkSlot slot;
        if (!marks.TryLocate(score, out slot))
        {
            var later = locateLater(score) ?? throw Damage($"block {score} ({role.ToString().ToLowerInvariant()}) is not in the index");
            slot = new MarkSlot(-1, -1, later);
        }
        var (newlyLive, expand) = marks.Mark(slot, role);
        if (newlyLive) { BlocksMarked++; NewlyLive?.Invoke(slot); }
        return (slot, expand);
    }

    private byte[] Read(in MarkSlot slot)
    {
        BlocksRead++;
        try { return read(slot); }
        catch (IOException e) { throw Damage($"block {slot.Entry.Score} cannot be read: {e.Message}"); }
    }

    private MarkDamageException Damage(string problem) =>
        new($"{_what}: {problem}; the store is damaged, so gc stops and changes nothing (`timetravel verify` says more)");
}
