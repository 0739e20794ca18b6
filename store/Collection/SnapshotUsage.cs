// The bytes only each snapshot holds: what forgetting it alone would let gc free (stored bytes of its blocks no other
// snapshot reaches). One traversal in snapshot order with an owner per block — none, one snapshot, or shared — in a
// small int array per index segment: a block is descended into when it is first reached in a role, and again when its
// owner changes (to another snapshot, it becomes shared, and so does everything below it); a subtree already shared
// is skipped. So the cost is that of marking (each distinct subtree read at most twice), not snapshots × tree size.
// Figures are cached in STORE/gc/usage keyed by the snapshots, so `list` stays fast.
using System.Security.Cryptography;
using System.Text;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Collection;

public static class SnapshotUsage
{
    public const string FileName = "usage";
    private const int Shared = -1;

    /// <summary>
    /// Bytes only each snapshot holds, by snapshot id: from the cache when it is for exactly these snapshots; else, with
    /// <paramref name="compute"/>, computed now (and cached when the store can be written); else null.
    /// </summary>
    public static IReadOnlyDictionary<long, long>? Exclusive(Repository repo, IReadOnlyList<SnapshotRecord> snapshots, bool compute)
    {
        string key = Key(snapshots);
        string path = Path.Combine(CollectionState.DirectoryOf(repo.Layout), FileName);
        if (ReadCache(path, key) is { } cached && snapshots.All(s => cached.ContainsKey(s.Id))) return cached;
        if (!compute) return null;
        repo.Blocks.Index.Refresh(force: true);
        var figures = Compute(repo, snapshots);
        try
        {
            StoreFiles.CreateDirectory(CollectionState.DirectoryOf(repo.Layout));
            var text = new StringBuilder($"timetravel-usage 1\nkey {key}\n");
            foreach (var (id, bytes) in figures) text.Append($"snapshot {id} {bytes}\n");
            StoreFiles.WriteAllText(path + ".tmp", text.ToString());
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a read-only store: computed each time
        return figures;
    }

    // The figures depend only on which snapshots are kept (their trees, and the stored size of each block, which a
    // move by gc does not change), so the key is the snapshots alone: a gc or a rebuilt index leaves the cache valid.
    private static string Key(IReadOnlyList<SnapshotRecord> snapshots)
    {
        var text = new StringBuilder();
        foreach (var s in snapshots) text.Append($"{s.Id} {s.Root.Content.Root} {s.ChangedPaths.Root}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static Dictionary<long, long>? ReadCache(string path, string key)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length < 2 || lines[0] != "timetravel-usage 1" || lines[1] != $"key {key}") return null;
            var result = new Dictionary<long, long>();
            foreach (var l in lines.Skip(2))
                if (l.Split(' ') is ["snapshot", var id, var b] && long.TryParse(id, out long i) && long.TryParse(b, out long n)) result[i] = n;
            return result;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Computes the figures (no cache). Blocks missing from the index are left out, not an error: `list` lists.</summary>
    public static Dictionary<long, long> Compute(Repository repo, IReadOnlyList<SnapshotRecord> snapshots)
    {
        var marks = new MarkSet(repo.Blocks.Index.Segments.ToList());
        var owners = marks.Segments.Select(s => new int[s.Count]).ToArray();
        // Per block: bit 0 expanded as pointer, bit 1 as directory; bits 2-3 and 4-5 the depth each was expanded at.
        var flags = marks.Segments.Select(s => new byte[s.Count]).ToArray();
        var read = Collector.ReadFor(repo);
        var work = new Stack<(Score Score, BlockRole Role, int Depth, int Who)>();

        void Visit(Score score, BlockRole role, int depth, int who)
        {
            if (score == Score.Zero || !marks.TryLocate(score, out var slot)) return;
            ref int owner = ref owners[slot.Segment][slot.Position];
            ref byte f = ref flags[slot.Segment][slot.Position];
            int old = owner;
            int now = old == 0 ? who : old == who ? old : Shared;
            owner = now;
            bool fresh = false;
            if (role == BlockRole.Pointer && (f & 1) == 0) { f |= (byte)(1 | (Math.Min(depth, 3) << 2)); fresh = true; }
            if (role == BlockRole.Directory && (f & 2) == 0) { f |= (byte)(2 | (Math.Min(depth, 3) << 4)); fresh = true; }
            if (now != old)
            {
                if ((f & 1) != 0) work.Push((score, BlockRole.Pointer, (f >> 2) & 3, now));
                if ((f & 2) != 0) work.Push((score, BlockRole.Directory, (f >> 4) & 3, now));
            }
            else if (fresh) work.Push((score, role, depth, now));
        }

        void Content(StreamRef stream, bool directory, int who)
        {
            if (stream.IsEmpty) return;
            if (directory) Visit(stream.Root, BlockRole.Directory, stream.Depth, who);
            else if (stream.Depth == 0) Visit(stream.Root, BlockRole.Data, 0, who);
            else Visit(stream.Root, BlockRole.Pointer, stream.Depth, who);
        }

        byte[] Read(Score score) => marks.TryLocate(score, out var slot) ? read(slot) : repo.Blocks.Get(score);

        void Expand(Score score, BlockRole role, int depth, int who)
        {
            if (role == BlockRole.Pointer)
            {
                foreach (var e in PointerBlock.Unpack(Read(score), score))
                    if (e.Kind != PointerKind.Hole) Visit(e.Score, depth <= 1 ? BlockRole.Data : BlockRole.Pointer, depth - 1, who);
                return;
            }
            // A directory: its stream's own blocks go with it, then its entries.
            var bytes = new List<byte>();
            void Leaves(Score s, int d)
            {
                if (d == 0) { bytes.AddRange(Read(s)); return; }
                foreach (var e in PointerBlock.Unpack(Read(s), s))
                    if (e.Kind != PointerKind.Hole) { Visit(e.Score, BlockRole.Data, 0, who); Leaves(e.Score, d - 1); }
            }
            Leaves(score, depth);
            foreach (var c in DirectoryCodec.Decode(bytes.ToArray(), score.Short))
                Content(c.Content, c.Kind == FileKind.Directory, who);
        }

        for (int i = 0; i < snapshots.Count; i++)
        {
            var s = snapshots[i];
            Content(s.Root.Content, s.Root.Kind == FileKind.Directory, i + 1);
            Content(s.ChangedPaths, directory: false, i + 1);
            while (work.TryPop(out var w))
            {
                try { Expand(w.Score, w.Role, w.Depth, w.Who); }
                catch (Exception e) when (e is IOException or InvalidDataException) { } // damage is verify's to report
            }
        }
        var result = snapshots.ToDictionary(s => s.Id, _ => 0L);
        for (int seg = 0; seg < marks.Segments.Count; seg++)
        {
            long position = 0;
            foreach (var e in marks.Segments[seg].Entries())
            {
                int o = owners[seg][position++];
                if (o > 0) result[snapshots[o - 1].Id] += e.Location.RecordLength;
            }
        }
        return result;
    }
}
