// The paths that changed in a snapshot, against the previous one, as the history commands will want them: computed
// after the tree is written with the tree diff (identical subtrees are skipped by score, so the cost follows the
// changes, for walks and journal snapshots alike), stored as a block stream the catalog record names.
//
// Encoding (docs/format.md §8.1): the paths, absolute, sorted by their bytes, each followed by one NUL byte (a path
// never holds NUL). A path is listed when the entry there was added, removed, or changed in content or metadata; an
// added or removed directory is one path, not one per entry inside it; a directory whose only news is below it is not
// listed. The first snapshot lists "/". An empty list is the empty stream.
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Snapshots;

public static class ChangeList
{
    /// <summary>The changed paths of a tree diff from "/", sorted.</summary>
    public static List<byte[]> PathsOf(IEnumerable<TreeChange> diff) =>
        diff.Select(c => c.Path).Distinct(PathBytes.EqualityComparer).Order(PathBytes.Comparer).ToList();

    public static byte[] Encode(IReadOnlyList<byte[]> sortedPaths)
    {
        var bytes = new byte[sortedPaths.Sum(p => p.Length + 1)];
        int at = 0;
        foreach (var p in sortedPaths)
        {
            if (p.AsSpan().IndexOf((byte)0) >= 0) throw new ArgumentException("a path cannot contain a NUL byte");
            p.CopyTo(bytes, at);
            at += p.Length + 1;
        }
        return bytes;
    }

    /// <summary>Decodes the stream's bytes, checking that every path ends with its NUL.</summary>
    public static List<byte[]> Decode(ReadOnlySpan<byte> data)
    {
        var paths = new List<byte[]>();
        while (!data.IsEmpty)
        {
            int nul = data.IndexOf((byte)0);
            if (nul <= 0) throw new InvalidDataException(nul < 0 ? "changed-path list: the last path has no NUL" : "changed-path list: an empty path");
            paths.Add(data[..nul].ToArray());
            data = data[(nul + 1)..];
        }
        return paths;
    }

    /// <summary>Stores the list (nothing for an empty one) and returns its stream.</summary>
    public static StreamRef Write(FileChunker chunker, IReadOnlyList<byte[]> sortedPaths) =>
        sortedPaths.Count == 0 ? StreamRef.Empty : chunker.WriteBytes(Encode(sortedPaths), BlockType.Data);

    /// <summary>The paths that changed in <paramref name="snapshot"/>, as recorded (empty for snapshots from before this list).</summary>
    public static List<byte[]> Read(TreeReader trees, SnapshotRecord snapshot) =>
        snapshot.ChangedPaths.IsEmpty ? [] : Decode(trees.Streams.ReadAll(snapshot.ChangedPaths));
}
