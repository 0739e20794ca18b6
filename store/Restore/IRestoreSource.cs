// What a restore reads: the entries of a recorded directory and the data of a recorded file. The store is one
// source (StoreTreeSource); a snapshot read through the mount is another (MountedTreeSource), which is how an
// ordinary user, who may not open the store, still rolls a file back with `yesterday -c`.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

public interface IRestoreSource
{
    /// <summary>The entries of a recorded directory, sorted by name bytes. IOException or InvalidDataException when it cannot be read.</summary>
    Node[] ReadDirectory(Node directory);

    /// <summary>Writes a regular file's data at its offsets into `destination`, skipping holes; the caller sets the length.</summary>
    void WriteContent(Node file, SafeFileHandle destination);

    /// <summary>Whether the existing regular file at `path` (of the node's size) holds the node's data.</summary>
    bool ContentMatches(Node file, byte[] path);
}
