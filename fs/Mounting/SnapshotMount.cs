// Mounting a store: the checks that must pass before anything is mounted, the options, and the serving loop.
using TimeTravel.Store.Posix;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store;

namespace TimeTravel.Fs.Mounting;

public static class SnapshotMount
{
    public const string DefaultMountPoint = "/backup/.snapshot";

    /// <summary>Throws StoreException with a clear message when the mount cannot work; nothing is mounted yet.</summary>
    public static string Check(string store, string mountPoint)
    {
        string mp = Path.GetFullPath(mountPoint);
        if (!Directory.Exists(mp)) throw new StoreException($"{mp}: mount point does not exist (create it with `mkdir -p {mp}`)");
        if (MountInfo.IsMountPoint(mp)) throw new StoreException($"{mp}: something is already mounted there (`timetravel umount {mp}` first)");
        if (!File.Exists("/dev/fuse")) throw new StoreException("/dev/fuse is missing: load the fuse module (`modprobe fuse`)");
        using (Repository.OpenReader(store)) { } // a missing, damaged or newer store fails here
        return mp;
    }

    /// <summary>ro, default_permissions and auto_unmount always; allow_other when root, so every user sees what they could see then.</summary>
    public static FuseMountOptions Options(string store, Action<string> log) => new()
    {
        ReadOnly = true,
        DefaultPermissions = true, // the kernel checks the recorded owners and modes
        AllowOther = Environment.IsPrivilegedProcess,
        AutoUnmount = true,        // a killed daemon leaves no dead mount behind
        FsName = "timetravel:" + Path.GetFullPath(store),
        Subtype = "timetravel",
        MaxThreads = 16,
        OnCallbackError = (what, e) => log($"{what}: {e.GetType().Name}: {e.Message}"),
    };

    /// <summary>Mounts and serves until unmounted or signalled (SIGTERM, SIGINT); returns the loop's result.</summary>
    public static int Serve(string store, string mountPoint, Action<string> log)
    {
        string mp = Check(store, mountPoint);
        using var repo = Repository.OpenReader(store);
        var fs = new SnapshotFileSystem(repo, log);
        using var mount = FuseMount.Mount(fs, mp, Options(store, log));
        using var signals = mount.UnmountOnSignals();
        return mount.Wait();
    }
}
