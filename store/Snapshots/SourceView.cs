// Where a snapshot reads a source from when not from the live tree: a point-in-time copy of it at another path (a
// read-only btrfs snapshot of the subvolume holding it, see kernel/Consistency). Recorded paths stay the live ones, and
// so do device numbers: a btrfs snapshot keeps every inode number but has a device number of its own, and hard-link
// ids come from (device, inode), so without the live device every hard-linked file would look changed each time.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Snapshots;

/// <param name="Source">The source as recorded (its live path).</param>
/// <param name="ReadPath">The same directory (or file) in the copy.</param>
/// <param name="ViewDevice">The copy's device number, as stat reports it there.</param>
/// <param name="LiveDevice">The live source's device number, which the snapshot records instead.</param>
/// <param name="NestedPlaceholderInode">
/// The inode number of the empty directory the copy shows where the live tree has another filesystem mounted (a
/// nested btrfs subvolume, which a subvolume snapshot does not hold); 0: none.
/// </param>
public sealed record SourceView(string Source, string ReadPath, ulong ViewDevice, ulong LiveDevice, ulong NestedPlaceholderInode)
{
    /// <summary>The status as the live tree would report it: the live device in place of the copy's.</summary>
    public FileStatus Live(in FileStatus st) => st.Device == ViewDevice ? st with { Device = LiveDevice } : st;

    /// <summary>
    /// Is this (as stat reports it in the copy) the placeholder of a nested subvolume? Its device is neither the copy's
    /// nor the live one (btrfs gives it the filesystem's own), so the inode number alone tells.
    /// </summary>
    public bool IsNestedPlaceholder(in FileStatus st) =>
        NestedPlaceholderInode != 0 && st.Inode == NestedPlaceholderInode && st.Kind == FileKind.Directory;
}
