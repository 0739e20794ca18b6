// One line of a FastVPS change log ("<number> NEW|MOD|REM <path>"), as a change.
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.FastVps;

/// <param name="Number">The leading number the kernel patch writes (always 0 in the logs we have seen).</param>
public sealed record FastVpsLine(long Number, ChangeKind Kind, byte[] Path);
