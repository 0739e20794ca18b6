// btrfs subvolume snapshots: create a read-only snapshot of the subvolume a directory descriptor lies in, and delete
// one (both called on the descriptor of the directory that holds the snapshot, which must be on the same filesystem).
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class LinuxCalls
{
    internal const ulong BTRFS_IOC_SNAP_CREATE_V2 = 0x50009417;  // _IOW(0x94, 23, struct btrfs_ioctl_vol_args_v2)
    internal const ulong BTRFS_IOC_SNAP_DESTROY = 0x5000940F;    // _IOW(0x94, 15, struct btrfs_ioctl_vol_args)
    internal const ulong BTRFS_SUBVOL_RDONLY = 1UL << 1;
    internal const long BTRFS_SUPER_MAGIC = 0x9123683E;
    /// <summary>The inode number of every subvolume's root directory (BTRFS_FIRST_FREE_OBJECTID).</summary>
    internal const ulong BtrfsSubvolumeRootInode = 256;
    /// <summary>
    /// The inode number of the empty directory a snapshot shows where the snapshotted subvolume held a nested
    /// subvolume (BTRFS_EMPTY_SUBVOL_DIR_OBJECTID).
    /// </summary>
    internal const ulong BtrfsEmptySubvolumeInode = 2;

    /// <summary>0, or the errno.</summary>
    internal static int BtrfsSnapshotReadOnly(SafeFileHandle subvolume, SafeFileHandle intoDirectory, byte[] name)
    {
        if (name.Length == 0 || name.Length >= BtrfsVolumeArgsV2.NameLength) return 36; // ENAMETOOLONG
        var args = new BtrfsVolumeArgsV2 { Fd = subvolume.DangerousGetHandle().ToInt64(), Flags = BTRFS_SUBVOL_RDONLY };
        for (int i = 0; i < name.Length; i++) args.Name[i] = name[i];
        bool added = false;
        subvolume.DangerousAddRef(ref added);
        try { return Ioctl(intoDirectory, BTRFS_IOC_SNAP_CREATE_V2, &args) == 0 ? 0 : Marshal.GetLastPInvokeError(); }
        finally { if (added) subvolume.DangerousRelease(); }
    }

    /// <summary>0, or the errno.</summary>
    internal static int BtrfsDestroySnapshot(SafeFileHandle inDirectory, byte[] name)
    {
        if (name.Length == 0 || name.Length >= BtrfsVolumeArgs.NameLength) return 36;
        var args = new BtrfsVolumeArgs();
        for (int i = 0; i < name.Length; i++) args.Name[i] = name[i];
        return Ioctl(inDirectory, BTRFS_IOC_SNAP_DESTROY, &args) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    // int fstatfs(int fd, struct statfs *buf);
    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static partial int FStatFs(SafeFileHandle fd, TimeTravel.Store.Interop.StatFs* buf);

    /// <summary>The filesystem's magic number (statfs f_type), or null when fstatfs fails.</summary>
    internal static long? FilesystemMagic(SafeFileHandle fd)
    {
        TimeTravel.Store.Interop.StatFs st;
        return FStatFs(fd, &st) == 0 ? st.Type : null;
    }
}
