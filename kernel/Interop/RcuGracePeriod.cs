// Waits until every tracepoint program running now has returned (an RCU grace period, through membarrier), so no
// program still holds the epoch that was just closed.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static class RcuGracePeriod
{
    /// <summary>0 when the grace period passed, else the errno (EINVAL on nohz_full kernels, EPERM under seccomp).</summary>
    public static int Wait()
    {
        long number = RuntimeInformation.ProcessArchitecture == Architecture.Arm64
            ? LinuxCalls.SYS_membarrier_arm64 : LinuxCalls.SYS_membarrier_x86_64;
        return LinuxCalls.Syscall3(number, LinuxCalls.MEMBARRIER_CMD_GLOBAL, 0, 0) == 0 ? 0 : Math.Max(Errno.Last, 1);
    }
}
