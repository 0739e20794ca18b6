// The tests that load the range tracker run one at a time: they share the kernel's tracepoints, and one of them
// sets TIMETRAVEL_BPF_OBJECT for the process.
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RangeTrackerCollection
{
    public const string Name = "range tracker";
}
