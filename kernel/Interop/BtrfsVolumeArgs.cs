// The argument blocks of the btrfs subvolume ioctls, as laid out in <linux/btrfs.h> (4096 bytes each).
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

// struct btrfs_ioctl_vol_args_v2 {
//     __s64 fd;            //  0-7   the subvolume to snapshot (an open directory of it)
//     __u64 transid;       //  8-15
//     __u64 flags;         // 16-23  BTRFS_SUBVOL_RDONLY
//     __u64 unused[4];     // 24-55  (size and qgroup_inherit, unused here)
//     char name[4040];     // 56-4095 the new snapshot's name in the directory the ioctl is called on
// };
[StructLayout(LayoutKind.Sequential, Size = 4096)]
internal unsafe struct BtrfsVolumeArgsV2
{
    public long Fd;
    public ulong TransId;
    public ulong Flags;
    public fixed ulong Unused[4];
    public fixed byte Name[NameLength];

    public const int NameLength = 4040;
}

// struct btrfs_ioctl_vol_args { __s64 fd; char name[4088]; };   fd 0-7 (unused by SNAP_DESTROY), name 8-4095
[StructLayout(LayoutKind.Sequential, Size = 4096)]
internal unsafe struct BtrfsVolumeArgs
{
    public long Fd;
    public fixed byte Name[NameLength];

    public const int NameLength = 4088;
}
