// One observed change. Paths are raw bytes because Linux names need not be UTF-8.
using TimeTravel.Store.Posix;
namespace TimeTravel.Kernel.Tracking;

/// <param name="Path">Absolute path; for <see cref="ChangeKind.Renamed"/> the old path.</param>
/// <param name="IsDirectory">True when the kernel said the object is a directory; false when not or unknown.</param>
/// <param name="RenamedTo">The new path of a <see cref="ChangeKind.Renamed"/> change, otherwise null.</param>
public sealed record ChangeRecord(ChangeKind Kind, byte[] Path, bool IsDirectory = false, byte[]? RenamedTo = null)
{
    public override string ToString() =>
        $"{Kind} {PathBytes.Display(Path)}{(RenamedTo is null ? "" : " -> " + PathBytes.Display(RenamedTo))}{(IsDirectory ? " (dir)" : "")}";
}
