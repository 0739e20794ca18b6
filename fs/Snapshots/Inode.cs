// One inode the kernel knows about: what it is (a node of a snapshot, a root link, the root), where (for messages),
// and how many lookups the kernel holds on it.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public sealed class Inode(ulong number, Node node, SnapshotRecord? snapshot, string path)
{
    public ulong Number { get; } = number;
    public Node Node { get; } = node;
    public SnapshotRecord? Snapshot { get; } = snapshot;
    public string Path { get; } = path;   // as shown in messages: /SNAPSHOT/etc/fstab
    public bool AtRoot { get; init; }     // the root itself or a name directly under it: short cache timeouts
    public byte[]? HistoryPath { get; init; } // set for the directories of the .history view: the source path they stand for
    public long Lookups;
}
