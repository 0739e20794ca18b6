// The bpf filesystem pins live on: checks that a directory is on one, and mounts /sys/fs/bpf when it is not there.
namespace TimeTravel.Kernel.Interop;

internal static class BpfFilesystem
{
    public const string DefaultMountPoint = "/sys/fs/bpf";

    /// <summary>Whether <paramref name="path"/> (which must exist) is on a bpf filesystem; null and the errno when statfs fails.</summary>
    public static unsafe bool? IsOn(string path, out int errno)
    {
        Store.Interop.StatFs st;
        if (LinuxCalls.Statfs(path, &st) != 0) { errno = Store.Interop.Errno.Last; return null; }
        errno = 0;
        return st.Type == LinuxCalls.BPF_FS_MAGIC;
    }

    /// <summary>Mounts a bpf filesystem at /sys/fs/bpf (mode 0700); 0 or the errno.</summary>
    public static int MountDefault()
    {
        int rc = LinuxCalls.Mount("bpf", DefaultMountPoint, "bpf", 0, "mode=0700");
        return rc == 0 ? 0 : Store.Interop.Errno.Last;
    }
}
