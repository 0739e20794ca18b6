// The read-ahead of a FUSE mount. The kernel caps it at the smaller of what init asked for (max_readahead) and the
// mount's backing device's read_ahead_kb, which starts at 128 KiB; so sequential reads stay at 128 KiB requests
// until read_ahead_kb is raised. FUSE names the backing device (bdi) after the mount's device number: 0:NN.
using TimeTravel.Store.Posix;

namespace TimeTravel.Fs.Fuse;

public static class ReadAhead
{
    /// <summary>/sys/class/bdi/MAJ:MIN/read_ahead_kb of the newest mount at mountPoint.</summary>
    public static string SettingFile(string mountPoint)
    {
        string? device = null;
        foreach (var e in MountInfo.Entries())
            if (e.MountPoint == mountPoint) device = e.Device; // the last one is on top
        if (string.IsNullOrEmpty(device)) throw new IOException($"{mountPoint}: not in /proc/self/mountinfo");
        return $"/sys/class/bdi/{device}/read_ahead_kb";
    }

    /// <summary>Sets the mount's read-ahead (needs root); files opened from now on read ahead this far.</summary>
    public static void Set(string mountPoint, int kilobytes) => File.WriteAllText(SettingFile(mountPoint), kilobytes + "\n");

    public static int Get(string mountPoint) => int.Parse(File.ReadAllText(SettingFile(mountPoint)).Trim());
}
