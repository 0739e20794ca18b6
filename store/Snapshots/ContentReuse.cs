// When a walk may keep a file's recorded content instead of reading it again (docs/design.md, "What a walk re-reads").
// Size and mtime must be equal, and the ctime too unless a visible metadata change explains the new one (mode, owner,
// link count, xattrs): bytes rewritten with the mtime put back (`touch -d`, some unpackers) leave only a new ctime
// behind, and are read again. The inode number is not recorded, so a file whose only change is its inode (another
// mount of the same data, with the same ctime) is never read again; `cp -a` plus `mv` over the file also gives it a
// new ctime and nothing visible, so it is read again (same content, same score: nothing new is stored).
using TimeTravel.Store.History;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Snapshots;

public static class ContentReuse
{
    /// <param name="before">The file's node in the previous snapshot.</param>
    /// <param name="now">Its node from lstat and the xattrs just read, without content yet.</param>
    public static bool Allowed(Node before, Node now)
    {
        if (before.Kind != Posix.FileKind.Regular || now.Kind != Posix.FileKind.Regular || before.Flags != NodeFlags.None) return false;
        if (before.Size != now.Size || before.MTimeNs != now.MTimeNs) return false;
        if (before.CTimeNs == now.CTimeNs) return true;
        return NodeComparison.MetadataDiffers(before, now) || before.NLink != now.NLink; // mtimes are equal here
    }
}
