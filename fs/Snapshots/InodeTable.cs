// The inodes the kernel holds, by number. Entries come with lookups and go when the kernel forgets them,
// so memory follows the kernel's inode cache, not the size of the store.
using System.Collections.Concurrent;

namespace TimeTravel.Fs.Snapshots;

public sealed class InodeTable
{
    private readonly ConcurrentDictionary<ulong, Inode> _inodes = new();
    private readonly object _counts = new(); // lookups and forgets change counts and membership together

    public int Count => _inodes.Count;

    public Inode? Get(ulong ino) => _inodes.GetValueOrDefault(ino);

    /// <summary>The inodes held right now (a moment's view).</summary>
    public IEnumerable<Inode> Held => _inodes.Values;

    /// <summary>Records one more kernel lookup of the inode (adding it when new) and returns the one in the table.</summary>
    public Inode Remember(Inode inode)
    {
        lock (_counts)
        {
            var held = _inodes.GetOrAdd(inode.Number, inode);
            held.Lookups++;
            return held;
        }
    }

    public void Pin(Inode inode) => _inodes[inode.Number] = inode;

    public void Forget(ulong ino, ulong count)
    {
        lock (_counts)
        {
            if (!_inodes.TryGetValue(ino, out var inode) || inode.Number == InodeNumbers.Root) return;
            inode.Lookups -= (long)count;
            if (inode.Lookups <= 0) _inodes.TryRemove(ino, out _);
        }
    }
}
