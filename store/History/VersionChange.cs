// What happened to a path between two adjacent versions, as `timetravel history` shows it.
namespace TimeTravel.Store.History;

[Flags]
public enum VersionChange
{
    None = 0,
    Created = 1,     // first seen
    Recreated = 2,   // seen again after having been deleted
    Content = 4,     // file data, a directory's entries, a symlink's target or a device number changed
    Metadata = 8,    // mode, owner, mtime or extended attributes changed
    Kind = 16,       // a different kind of file took the name (a file became a directory, say)
    Deleted = 32,    // gone: the version has no node
}

public static class VersionChanges
{
    /// <summary>Lower-case words for people and JSON: "created", "content, metadata", "deleted".</summary>
    public static IReadOnlyList<string> Words(VersionChange c)
    {
        var words = new List<string>();
        if (c.HasFlag(VersionChange.Created)) words.Add("created");
        if (c.HasFlag(VersionChange.Recreated)) words.Add("recreated");
        if (c.HasFlag(VersionChange.Kind)) words.Add("kind");
        if (c.HasFlag(VersionChange.Content)) words.Add("content");
        if (c.HasFlag(VersionChange.Metadata)) words.Add("metadata");
        if (c.HasFlag(VersionChange.Deleted)) words.Add("deleted");
        return words;
    }
}
