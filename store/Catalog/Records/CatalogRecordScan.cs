// Finds every catalog-record block in the arenas (appended and compacted) without reading the rest: it hops from
// record header to record header by their lengths and reads only the payloads whose header type says catalog record.
// A header that does not parse (damage, a torn tail) sends the rest of that arena through ArenaScanner, which checks
// every record and resynchronises, starting at the last hop it did not check, so a damaged length loses nothing.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Catalog.Records;

public readonly record struct FoundRecord(CatalogRecord Record, Score Score, BlockLocation Location);

public static class CatalogRecordScan
{
    // Arenas numbered from 2^31 up are written whole by gc (ArenaFormat.FirstCompactedArena): only the newest appended
    // arena can end in a torn append.
    private const uint FirstCompactedArena = 0x8000_0000;

    /// <summary>
    /// The catalog records of every arena, in arena order; each problem (an unreadable arena, damaged bytes, a record
    /// block that does not decode) goes to `problem` and costs only what it covers.
    /// </summary>
    public static IEnumerable<FoundRecord> Records(StoreLayout layout, Action<string> problem, WorkProgress? progress = null)
    {
        using var arenas = new ArenaSet(layout.Arenas);
        var numbers = arenas.List();
        uint lastAppended = numbers.Where(n => n < FirstCompactedArena).DefaultIfEmpty(0u).Max();
        progress?.Begin("arenas", numbers.Count, numbers.Sum(n => new FileInfo(arenas.PathOf(n)).Length));
        foreach (uint n in numbers)
        {
            string path = arenas.PathOf(n);
            var locations = new List<BlockLocation>();
            try
            {
                ArenaHeader.Read(path, n);
                locations = Locate(path, n, problem, n != lastAppended);
            }
            catch (StoreFormatException e) { problem(e.Message); }
            catch (IOException e) { problem($"{path}: {e.Message}"); }
            progress?.Add(1, new FileInfo(path).Length);
            foreach (var loc in locations)
            {
                FoundRecord? found = null;
                try
                {
                    var header = ReadHeader(arenas, loc);
                    var content = arenas.Read(loc, header, verifyScore: true);
                    found = new FoundRecord(CatalogRecordCodec.Decode(content, $"{header.Short} ({path} offset {loc.Offset})"), header, loc);
                }
                catch (Exception e) when (e is BlockReadException or InvalidDataException or IOException) { problem(e.Message); }
                if (found is { } f) yield return f;
            }
        }
    }

    // The locations of the catalog-record blocks of one arena; `sealed`: bytes after the last record are damage, not a torn append.
    private static List<BlockLocation> Locate(string path, uint arena, Action<string> problem, bool isSealed)
    {
        var found = new List<BlockLocation>();
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(handle);
        long offset = ArenaFormat.HeaderSize, unchecked_ = offset;
        var buffer = new byte[ArenaFormat.RecordHeaderSize];
        while (offset < length)
        {
            RecordHeader? h = length - offset >= ArenaFormat.RecordHeaderSize && RandomAccess.Read(handle, buffer, offset) == buffer.Length
                ? BlockRecord.UnpackHeader(buffer) : null;
            long end = h is { } hh ? offset + ArenaFormat.RecordHeaderSize + hh.StoredLength : long.MaxValue;
            if (h is null || end > length)
            {
                // Not a header where the lengths led: check every record from the last unchecked hop on.
                found.RemoveAll(l => l.Offset >= unchecked_);
                var result = new ScanResult();
                foreach (var rec in ArenaScanner.Scan(path, unchecked_, result))
                    if (rec.Header.Type == BlockType.CatalogRecord) found.Add(rec.Location(arena));
                foreach (var (at, bytes) in result.Corrupt) problem($"{path}: {bytes} damaged bytes at offset {at} skipped");
                if (result.TornTail && isSealed) problem($"{path}: unreadable data after offset {result.ValidEnd}");
                return found;
            }
            var loc = new BlockLocation(arena, (uint)offset, h.Value.StoredLength, h.Value.RawLength);
            if (h.Value.Type == BlockType.CatalogRecord) found.Add(loc);
            unchecked_ = offset; // its length was trusted without its checksum

            offset = end;
        }
        return found;
    }

    private static Score ReadHeader(ArenaSet arenas, BlockLocation loc)
    {
        using var handle = File.OpenHandle(arenas.PathOf(loc.Arena), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[ArenaFormat.RecordHeaderSize];
        RandomAccess.Read(handle, buffer, loc.Offset);
        return BlockRecord.UnpackHeader(buffer)?.Score ?? throw new BlockReadException(arenas.PathOf(loc.Arena), loc.Offset, "record header is damaged");
    }
}
