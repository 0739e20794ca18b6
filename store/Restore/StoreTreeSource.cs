// Restoring from the store: directories decoded from their blocks, data written leaf by leaf (holes stay holes),
// and an existing file compared against the leaves' scores, so nothing is read from the store to compare.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

public sealed class StoreTreeSource(TreeReader trees) : IRestoreSource
{
    public Node[] ReadDirectory(Node directory) => trees.ReadDirectory(directory.Content);

    public void WriteContent(Node file, SafeFileHandle destination)
    {
        foreach (var leaf in trees.Streams.Leaves(file.Content))
        {
            if (leaf.IsHole) continue;
            var data = trees.Blocks.Get(leaf.Score);
            if (data.Length != leaf.Length)
                throw new InvalidDataException($"block {leaf.Score.Short} has {data.Length} bytes where its pointer says {leaf.Length}");
            RandomAccess.Write(destination, data, leaf.Offset);
        }
    }

    public bool ContentMatches(Node file, byte[] path)
    {
        using var handle = PosixFs.OpenRead(path);
        var extents = PosixFs.DataExtents(handle, file.Content.Length);
        foreach (var leaf in trees.Streams.Leaves(file.Content))
        {
            if (!leaf.IsHole)
            {
                var bytes = FileBytes.ReadExactly(handle, leaf.Offset, (int)leaf.Length);
                if (bytes is null || Score.Of(bytes) != leaf.Score) return false;
                continue;
            }
            // A hole: only the data extents the file has inside it need reading.
            long end = leaf.Offset + leaf.Length;
            foreach (var (offset, length) in extents)
            {
                long from = Math.Max(offset, leaf.Offset), to = Math.Min(offset + length, end);
                for (long at = from; at < to; at += 1 << 20)
                {
                    var bytes = FileBytes.ReadExactly(handle, at, (int)Math.Min(1 << 20, to - at));
                    if (bytes is null || bytes.AsSpan().ContainsAnyExcept((byte)0)) return false;
                }
            }
        }
        return true;
    }
}
