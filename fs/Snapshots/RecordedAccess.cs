// The kernel's permission check (generic_permission with POSIX ACLs) applied to a node as a snapshot recorded it:
// its mode, owner, group and system.posix_acl_access. The .history view uses it to ask whether a caller could have
// searched or read a directory in a given snapshot, which the kernel cannot decide for it (see HistoryView).
using System.Buffers.Binary;
using TimeTravel.Fs.Fuse;
using TimeTravel.Store.Trees;

namespace TimeTravel.Fs.Snapshots;

public static class RecordedAccess
{
    public const int Read = 4, Write = 2, Search = 1;

    private static ReadOnlySpan<byte> AclName => "system.posix_acl_access"u8;

    // linux/posix_acl_xattr.h: a 4-byte version (2), then 8-byte entries { u16 tag; u16 perm; u32 id; }, little-endian.
    private const uint AclVersion = 2;
    private const ushort UserObj = 0x01, User = 0x02, GroupObj = 0x04, Group = 0x08, Mask = 0x10, Other = 0x20;

    /// <summary>Whether `who` had every permission in `want` (Read, Search) on `node`. Root always had.</summary>
    public static bool Allows(Node node, Credentials who, int want)
    {
        if (who.IsRoot) return true; // CAP_DAC_READ_SEARCH: reading and searching are all this is asked about
        uint mode = node.Mode;
        if (node.Uid == who.Uid) return (want & ~(int)(mode >> 6) & 7) == 0;
        if ((mode & 0x38) != 0 && AclOf(node) is { } acl) return AclAllows(acl, node, who, want);
        // The group bits count only where they differ from other's; membership unknown there: refuse rather than guess.
        if ((want & (int)(mode ^ (mode >> 3)) & 7) != 0)
        {
            if (who.InGroup(node.Gid)) mode >>= 3;
            else if (who.Groups is null) return false;
        }
        return (want & ~(int)mode & 7) == 0;
    }

    private static byte[]? AclOf(Node node)
    {
        foreach (var (k, v) in node.Xattrs)
            if (k.AsSpan().SequenceEqual(AclName)) return v;
        return null;
    }

    // posix_acl_permission: the owner is handled above; a named user's entry, else any matching group entry that
    // grants (masked), else other; a matching group that grants nothing denies. A damaged ACL denies.
    private static bool AclAllows(byte[] acl, Node node, Credentials who, int want)
    {
        if (acl.Length < 4 || (acl.Length - 4) % 8 != 0 || BinaryPrimitives.ReadUInt32LittleEndian(acl) != AclVersion) return false;
        int count = (acl.Length - 4) / 8;
        ushort Tag(int i) => BinaryPrimitives.ReadUInt16LittleEndian(acl.AsSpan(4 + 8 * i));
        int Perm(int i) => BinaryPrimitives.ReadUInt16LittleEndian(acl.AsSpan(6 + 8 * i)) & 7;
        uint Id(int i) => BinaryPrimitives.ReadUInt32LittleEndian(acl.AsSpan(8 + 8 * i));
        bool Masked(int i)
        {
            for (int m = i + 1; m < count; m++)
                if (Tag(m) == Mask) return (want & ~(Perm(i) & Perm(m))) == 0;
            return (want & ~Perm(i)) == 0;
        }
        bool found = false;
        for (int i = 0; i < count; i++)
        {
            switch (Tag(i))
            {
                case UserObj: break; // the owner was answered by the mode
                case User: if (Id(i) == who.Uid) return Masked(i); break;
                case GroupObj or Group:
                    uint gid = Tag(i) == GroupObj ? node.Gid : Id(i);
                    if (who.Groups is null) return false; // membership unknown
                    if (who.InGroup(gid)) { found = true; if ((want & ~Perm(i)) == 0) return Masked(i); }
                    break;
                case Mask: break;
                case Other: return !found && (want & ~Perm(i)) == 0;
                default: return false;
            }
        }
        return false;
    }
}
