// Decodes the subdirectories of a directory just listed, in the background, on the other core: whoever lists a
// directory (find, ls -R, tar, rsync) usually lists its subdirectories next, and on a cold store each is a random
// read from the arenas. By the time the kernel asks, the listing is decoded and cached. Best effort: a full queue
// drops work, and an error is left for the real request to meet and report.
using System.Threading.Channels;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class DirectoryPrefetcher
{
    private readonly Channel<StreamRef> _queue = Channel.CreateBounded<StreamRef>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public DirectoryPrefetcher(TreeReader trees)
    {
        var thread = new Thread(() =>
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (_queue.Reader.TryRead(out var dir))
                {
                    try { trees.ReadDirectory(dir); }
                    catch (Exception) { /* the request that needs this directory reports the damage */ }
                }
        }) { IsBackground = true, Name = "directory prefetch" };
        thread.Start();
    }

    /// <summary>Queues the subdirectories among `children` (a directory's entries) for decoding.</summary>
    public void Children(Node[] children)
    {
        foreach (var c in children)
            if (c.Kind == FileKind.Directory && !c.Content.IsEmpty) _queue.Writer.TryWrite(c.Content);
    }
}
