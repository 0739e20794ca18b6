// One pass over an arena for the tools that read every record (verify, index rebuild): the header checked first,
// then the records, with progress counted in bytes as they go and the rest of the file once the pass ends.
using TimeTravel.Store.Arenas;

namespace TimeTravel.Store.Maintenance;

public static class ArenaPass
{
    /// <summary>The records of arena <paramref name="number"/>; a header that is not this arena's throws StoreFormatException naming it.</summary>
    public static IEnumerable<ScannedRecord> Records(string path, uint number, ScanResult result, WorkProgress? progress)
    {
        long done = 0;
        try
        {
            ArenaHeader.Read(path, number);
            foreach (var rec in ArenaScanner.Scan(path, 0, result))
            {
                long end = rec.Offset + ArenaFormat.RecordHeaderSize + rec.Header.StoredLength;
                progress?.Add(0, end - done);
                done = end;
                yield return rec;
            }
        }
        finally { progress?.Add(1, Math.Max(0, new FileInfo(path).Length - done)); }
    }
}
