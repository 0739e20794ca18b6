// Where a store's snapshots are mounted: the timetravel FUSE mount whose source names the store, else the default.
using TimeTravel.Store.Posix;

namespace TimeTravel.Yesterday;

public static class MountLocator
{
    public const string DefaultMountPoint = "/backup/.snapshot";

    public static (string MountPoint, bool Mounted) Find(string storeRoot)
    {
        try
        {
            foreach (var m in MountInfo.Entries())
                if (m.FsType == "fuse.timetravel" && (m.Source == storeRoot || m.Source == "timetravel:" + storeRoot)) return (m.MountPoint, true); // "timetravel:STORE" before fstab support
        }
        catch (IOException) { }
        return (DefaultMountPoint, false);
    }
}
