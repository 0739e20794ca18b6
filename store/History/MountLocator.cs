// Where a store's snapshots are mounted: the timetravel FUSE mount whose source names the store, else the default
// mount point. Shared by `yesterday` and `timetravel history`, so both print paths that exist.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.History;

public static class MountLocator
{
    public const string DefaultMountPoint = "/backup/.snapshot";

    /// <summary>The mount of this store (the newest, if it is mounted twice), or the default mount point, not mounted.</summary>
    public static (string MountPoint, bool Mounted) Find(string storeRoot)
    {
        // The mount's source is the store's real path (so mount(8) matches it to an fstab line); mounts made before
        // fstab support named it "timetravel:STORE".
        string full = Trim(Path.GetFullPath(storeRoot));
        string real = SnapshotPaths.RealPath(full) is { } r ? Trim(r) : full;
        var mounts = TimeTravelMounts();
        var mine = mounts.LastOrDefault(m => Trim(m.Source) is var s && (s == real || s == full || s == "timetravel:" + full));
        return mine.MountPoint is null ? (DefaultMountPoint, false) : (mine.MountPoint, true);
    }

    /// <summary>
    /// For reading snapshots without the store (an ordinary user, who may not open it): the store's mount; for the
    /// default store, else any timetravel mount at the default mount point; null otherwise. Never another store's
    /// mount for a store named on the command line.
    /// </summary>
    public static string? FindReadable(string storeRoot)
    {
        var (mp, mounted) = Find(storeRoot);
        if (mounted) return mp;
        bool defaultStore = Trim(Path.GetFullPath(storeRoot)) == StoreLayout.DefaultRoot;
        return defaultStore && TimeTravelMounts().Any(m => m.MountPoint == DefaultMountPoint) ? DefaultMountPoint : null;
    }

    /// <summary>What to say when a store is not mounted: how its versions are shown instead, and how to mount it.</summary>
    public static string NotMounted(string storeRoot) =>
        $"{storeRoot} is not mounted, so versions are shown as SNAPSHOT:PATH (`timetravel --store {storeRoot} cat SNAPSHOT PATH` " +
        $"prints one); mount it with `timetravel --store {storeRoot} mount` (at {DefaultMountPoint}) to reach them as files";

    private static List<MountEntry> TimeTravelMounts()
    {
        try { return MountInfo.Entries().Where(m => m.FsType == "fuse.timetravel").ToList(); }
        catch (IOException) { return []; }
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
