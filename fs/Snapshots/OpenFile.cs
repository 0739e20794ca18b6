// What a read of a regular file needs: its content stream and whether it was readable when the snapshot was taken.
// Kept per open handle, or on the inode where the kernel opens files itself.
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed record OpenFile(Inode Inode, StreamRef Content, NodeFlags Flags);
