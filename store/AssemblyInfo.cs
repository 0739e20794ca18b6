// libc interop has one home, store/Interop; the tracker (kernel) and the mount (fs) call it too, and the tests
// reach the pure internals. Nothing else is shared through internals.
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("TimeTravel.Kernel")]
[assembly: InternalsVisibleTo("TimeTravel.Fs")]
[assembly: InternalsVisibleTo("TimeTravel.Tests")]
