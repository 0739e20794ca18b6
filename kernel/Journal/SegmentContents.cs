// What reading one segment file yielded: the good records, where they end, and whether the file is torn or damaged.
namespace TimeTravel.Kernel.Journal;

/// <param name="ValidLength">Bytes up to the end of the last good record (a writer truncates a torn tail to this).</param>
/// <param name="TornTail">The file ends in a partial or failed record left by a crash mid-append; it was ignored.</param>
/// <param name="Damage">Why the segment is damaged (a bad record with data after it), or null.</param>
public sealed record SegmentContents(long Number, IReadOnlyList<JournalRecord> Records, long ValidLength, bool TornTail, string? Damage);
