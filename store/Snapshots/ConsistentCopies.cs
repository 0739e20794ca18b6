// The directory that holds the point-in-time copies a snapshot reads from (btrfs snapshots, see kernel/Consistency):
// it sits at the root of the btrfs subvolume being copied, so it may lie inside a source. Every source leaves a
// directory of this name out, the way it leaves out the store: the walk never records it and the tracker never
// journals what happens in it, so making and deleting a copy is no change to any source.
namespace TimeTravel.Store.Snapshots;

public static class ConsistentCopies
{
    public const string DirectoryName = ".timetravel-consistent";
}
