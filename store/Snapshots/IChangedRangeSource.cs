// What a changed-range tracker (kernel/Ranges, eBPF) offers a snapshot: for a file about to be read, the byte ranges
// that changed since the previous snapshot, or null when it cannot vouch for the file (read it whole). The snapshot
// asks only for files whose path kept its identity since the previous snapshot (the journal saw no create or rename
// onto it), so the previous content at that path is the same file's.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Snapshots;

public interface IChangedRangeSource
{
    /// <param name="file">The file, open for reading.</param>
    /// <param name="status">Its fstat, taken before reading.</param>
    /// <param name="path">For messages.</param>
    /// <returns>The ranges that may differ (ChangedRanges.None: nothing changed), or null: read the whole file.</returns>
    ChangedRanges? Lookup(SafeFileHandle file, in FileStatus status, byte[] path);
}
