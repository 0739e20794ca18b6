// Whom the kernel checks a request's permissions for: the fsuid, the fsgid and the supplementary groups. Groups null
// means they could not be read (the process is gone, or in a pid namespace the daemon cannot see): whatever
// depends on them must then be refused, since being in fewer groups can grant more (an ACL entry `group:G:---`
// keeps members of G out that `other::r-x` lets in).
namespace TimeTravel.Fs.Fuse;

public sealed record Credentials(uint Uid, uint Gid, IReadOnlyList<uint>? Groups)
{
    public static Credentials Root { get; } = new(0, 0, []);

    public bool IsRoot => Uid == 0;

    /// <summary>Whether `gid` is the fsgid or one of the groups; false when the groups are unknown and it is not the fsgid.</summary>
    public bool InGroup(uint gid) => gid == Gid || (Groups?.Contains(gid) ?? false);

    /// <summary>The same for the same uid, gid and set of groups: what per-caller inode numbers are made from.</summary>
    public string Key { get; } = $"{Uid}:{Gid}:" + (Groups is null ? "?" : string.Join(',', Groups.Order()));
}
