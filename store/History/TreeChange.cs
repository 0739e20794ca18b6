// One difference between two trees: a path added, removed, or changed (in content, metadata or both).
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.History;

public enum TreeChangeKind { Added, Removed, Changed }

public sealed record TreeChange(TreeChangeKind Kind, byte[] Path, Node? Before, Node? After)
{
    public bool ContentChanged { get; init; }
    public bool MetadataChanged { get; init; }
}
