// The kernel's permission check replayed on recorded nodes (modes, owners, POSIX ACLs), as .history asks it: pure,
// no mount. Each case is what generic_permission answers for the same inode and caller.
using System.Buffers.Binary;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class RecordedAccessTests
{
    private const int R = RecordedAccess.Read, X = RecordedAccess.Search;
    private static readonly Credentials Ann = new(1000, 1000, [50]), Bob = new(1001, 1001, []);

    private static Node Dir(uint mode, uint uid = 0, uint gid = 0, params (ushort Tag, ushort Perm, uint Id)[] acl)
    {
        var node = new Node { Name = "d"u8.ToArray(), Kind = FileKind.Directory, Mode = mode, Uid = uid, Gid = gid };
        if (acl.Length > 0)
        {
            var value = new byte[4 + 8 * acl.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(value, 2);
            for (int i = 0; i < acl.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(4 + 8 * i), acl[i].Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(6 + 8 * i), acl[i].Perm);
                BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8 + 8 * i), acl[i].Id);
            }
            node.Xattrs.Add(new("system.posix_acl_access"u8.ToArray(), value));
        }
        return node;
    }

    [Fact]
    public void ModeBitsGrantByOwnerThenGroupThenOther()
    {
        Assert.False(RecordedAccess.Allows(Dir(0x1C0 /* 0700 */), Ann, X));
        Assert.True(RecordedAccess.Allows(Dir(0x1C0, uid: 1000), Ann, R | X));
        Assert.False(RecordedAccess.Allows(Dir(0x03F /* 0077 */, uid: 1000), Ann, X)); // the owner gets the owner's bits only
        Assert.True(RecordedAccess.Allows(Dir(0x1E8 /* 0750 */, gid: 50), Ann, R | X)); // a supplementary group
        Assert.False(RecordedAccess.Allows(Dir(0x1E8, gid: 50), Bob, X));
        Assert.False(RecordedAccess.Allows(Dir(0x1C5 /* 0705 */, gid: 50), Ann, X)); // the group's bits, not other's
        Assert.True(RecordedAccess.Allows(Dir(0x1ED /* 0755 */), Bob, R | X));
        Assert.True(RecordedAccess.Allows(Dir(0x1C0), Credentials.Root, R | X));
    }

    [Fact]
    public void AclEntriesDenyANamedUserOrGroupThatOtherWouldLetIn()
    {
        var user = Dir(0x1ED, acl: [(0x01, 7, 0), (0x02, 0, 1000), (0x04, 5, 0), (0x10, 5, 0), (0x20, 5, 0)]); // u:1000:---
        Assert.False(RecordedAccess.Allows(user, Ann, X));
        Assert.True(RecordedAccess.Allows(user, Bob, R | X));
        var group = Dir(0x1ED, acl: [(0x01, 7, 0), (0x04, 5, 0), (0x08, 0, 50), (0x10, 5, 0), (0x20, 5, 0)]); // g:50:---
        Assert.False(RecordedAccess.Allows(group, Ann, X));
        Assert.True(RecordedAccess.Allows(group, Bob, X));
    }

    [Fact]
    public void AnAclGrantIsCutByTheMask()
    {
        var masked = Dir(0x1C0, acl: [(0x01, 7, 0), (0x02, 5, 1001), (0x04, 0, 0), (0x10, 0, 0), (0x20, 0, 0)]); // u:1001:r-x, mask ---
        Assert.False(RecordedAccess.Allows(masked, Bob, X));
        var open = Dir(0x1E8, acl: [(0x01, 7, 0), (0x02, 5, 1001), (0x04, 0, 0), (0x10, 5, 0), (0x20, 0, 0)]);
        Assert.True(RecordedAccess.Allows(open, Bob, R | X));
        Assert.False(RecordedAccess.Allows(open, Ann, X));
    }

    [Fact]
    public void UnknownGroupsAreRefusedWhereGroupsDecide()
    {
        var unknown = new Credentials(1000, 1000, null);
        Assert.False(RecordedAccess.Allows(Dir(0x1C5 /* 0705 */, gid: 50), unknown, X)); // in group 50 or not: it matters
        Assert.True(RecordedAccess.Allows(Dir(0x1ED), unknown, X));                      // group and other agree
        Assert.False(RecordedAccess.Allows(Dir(0x1ED, acl: [(0x01, 7, 0), (0x04, 5, 0), (0x08, 0, 50), (0x10, 5, 0), (0x20, 5, 0)]), unknown, X));
    }

    [Fact]
    public void ADamagedAclDenies()
    {
        var node = Dir(0x1ED);
        node.Xattrs.Add(new("system.posix_acl_access"u8.ToArray(), [2, 0, 0, 0, 1]));
        Assert.False(RecordedAccess.Allows(node, Bob, X));
    }
}
