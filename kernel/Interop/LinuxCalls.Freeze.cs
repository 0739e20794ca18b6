// FIFREEZE and FITHAW: block every new write to a filesystem (after syncing it) and let writes go on again. Both act on
// the whole superblock from a descriptor of any directory on it and need CAP_SYS_ADMIN.
using Microsoft.Win32.SafeHandles;

namespace TimeTravel.Kernel.Interop;

internal static unsafe partial class LinuxCalls
{
    internal const ulong FIFREEZE = 0xC0045877;   // _IOWR('X', 119, int)
    internal const ulong FITHAW = 0xC0045878;     // _IOWR('X', 120, int)

    /// <summary>0, or the errno (EBUSY: already frozen; EOPNOTSUPP: the filesystem cannot be frozen).</summary>
    internal static int Freeze(SafeFileHandle anyDirectory) =>
        Ioctl(anyDirectory, FIFREEZE, null) == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();

    /// <summary>0, or the errno (EINVAL: it was not frozen).</summary>
    internal static int Thaw(SafeFileHandle anyDirectory) =>
        Ioctl(anyDirectory, FITHAW, null) == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
}
