// The tracepoints the range tracker attaches to, and which of them it cannot do without: without the ext4 write
// hooks, the dirty-folio hook (mmap stores) and the truncate hook a change could be missed, so BPF is not used at
// all; the others (direct I/O, fallocate family) are skipped when this kernel lacks them, and said so.
namespace TimeTravel.Kernel.Ranges;

internal static class RangeHooks
{
    public static readonly IReadOnlySet<string> Required = new HashSet<string>(StringComparer.Ordinal)
    {
        "ext4_da_write_begin", "ext4_write_begin", "writeback_dirty_folio", "ext4_truncate_enter",
    };

    public static bool IsRequired(string tracepoint) => Required.Contains(tracepoint);
}
