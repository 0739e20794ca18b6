// membarrier(2) MEMBARRIER_CMD_GLOBAL: waits for an RCU grace period, so every BPF program that was running when the
// epoch was flipped (tracepoint programs run inside rcu_read_lock) has finished. glibc has no wrapper: syscall(2).
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static partial class LinuxCalls
{
    internal const long SYS_membarrier_x86_64 = 324, SYS_membarrier_arm64 = 283;
    internal const int MEMBARRIER_CMD_GLOBAL = 1;

    // long syscall(long number, ...);   /* every argument here is an integer: no vector registers */
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall3(long number, long a, long b, long c);
}
