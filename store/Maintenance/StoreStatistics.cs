// How much the store holds and saves. Logical bytes are file sizes, as if every snapshot were restored; data bytes are
// the same less the holes of sparse files (never read, never stored), so the dedup ratio (data bytes over unique
// block bytes) is not inflated by a large sparse file. Both come from walking the trees, each distinct directory and
// each distinct multi-block file once, so unchanged subtrees shared by many snapshots cost nothing more.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Maintenance;

public sealed record StoreStatistics(int Snapshots, long LogicalBytes, long DataBytes, long UniqueBytes, long StoredBytes, long Blocks, int Arenas)
{
    public double DedupRatio => UniqueBytes == 0 ? 1 : (double)DataBytes / UniqueBytes;
    public double CompressionRatio => StoredBytes == 0 ? 1 : (double)UniqueBytes / StoredBytes;

    public static StoreStatistics Compute(Repository repo, WorkProgress? progress = null)
    {
        progress ??= new WorkProgress();
        var snaps = repo.Catalog.Snapshots();
        var sizes = new TreeSizes(repo.Trees);
        long logical = 0, data = 0;
        progress.Begin("snapshots", snaps.Count);
        foreach (var s in snaps)
        {
            var (l, d) = sizes.Of(s.Root);
            logical += l; data += d;
            progress.Add(1, l);
        }
        long unique = 0, blocks = 0;
        progress.Begin("index", repo.Blocks.Index.Segments.Sum(x => x.Count));
        foreach (var e in repo.Blocks.Index.CommittedEntries()) { unique += e.Location.RawLength; blocks++; progress.Add(1, e.Location.RawLength); }
        var arenas = repo.Blocks.Arenas.List();
        // An arena a running gc deleted since the listing counts as gone, not as an error.
        long stored = arenas.Sum(n => new FileInfo(repo.Blocks.Arenas.PathOf(n)) is { Exists: true } f ? f.Length : 0);
        return new StoreStatistics(snaps.Count, logical, data, unique, stored, blocks, arenas.Count);
    }

    // Logical and data bytes of a directory's regular files, remembered by the directory's score.
    private sealed class TreeSizes(TreeReader trees)
    {
        private readonly Dictionary<Score, (long Logical, long Data)> _dirs = [];
        private readonly Dictionary<Score, long> _sparse = [];

        public (long Logical, long Data) Of(Node dir)
        {
            if (dir.Content.IsEmpty) return (0, 0);
            if (_dirs.TryGetValue(dir.Content.Root, out var known)) return known;
            long logical = 0, data = 0;
            foreach (var c in trees.ReadDirectory(dir.Content))
            {
                if (c.Kind == FileKind.Directory) { var (l, d) = Of(c); logical += l; data += d; }
                else if (c.Kind == FileKind.Regular) { logical += c.Size; data += DataOf(c.Content); }
            }
            return _dirs[dir.Content.Root] = (logical, data);
        }

        // A single block is all data; a pointer tree may hold holes, summed once per distinct tree.
        private long DataOf(StreamRef stream)
        {
            if (stream.IsEmpty) return 0;
            if (stream.Depth == 0) return stream.Length;
            if (_sparse.TryGetValue(stream.Root, out long known)) return known;
            long data = trees.Streams.Leaves(stream).Where(l => !l.IsHole).Sum(l => l.Length);
            return _sparse[stream.Root] = data;
        }
    }
}
