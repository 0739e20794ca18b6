// fanotify_init(2): creates the notification group the tracker reads events from.
using System.Runtime.InteropServices;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Interop;

internal static partial class FanotifyCalls
{
    // int fanotify_init(unsigned int flags, unsigned int event_f_flags);
    [LibraryImport("libc", EntryPoint = "fanotify_init", SetLastError = true)]
    internal static partial FileDescriptor FanotifyInit(uint flags, uint eventFFlags);
}
