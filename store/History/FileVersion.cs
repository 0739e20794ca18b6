// One distinct version of a path: the snapshot it first appeared in, the last snapshot that still had it unchanged,
// the node (null: the path was deleted) and what changed from the version before.
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.History;

public sealed record FileVersion(SnapshotRecord Snapshot, SnapshotRecord LastSeen, Node? Node, VersionChange Changes)
{
    public bool Exists => Node is not null;
}
