// Room on the filesystem before a catalog write. LiteDB 5 writes its log on a thread of its own; when a write fails
// there (ENOSPC) that thread ends, and every later wait for it (the commit, the checkpoint, the close) blocks forever,
// with the store's writer lock held. The failure cannot be caught after the fact, so no write starts without room.
namespace TimeTravel.Store.Catalog;

public static class CatalogRoom
{
    /// <summary>Free space every catalog write needs: its log pages, their copy into the file, and LiteDB's headers.</summary>
    public const long Base = 1 << 20;
    /// <summary>And for each record it changes (a record and its index nodes are a few 8 KiB pages, twice over).</summary>
    public const long PerRecord = 64 << 10;

    /// <summary>Throws an IOException naming the catalog and the space when the filesystem lacks room for the write.</summary>
    public static void Require(string catalogPath, int records)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(catalogPath))!;
        long need = Base + PerRecord * Math.Max(0, records);
        long free = new DriveInfo(dir).AvailableFreeSpace; // what df shows as available
        if (free >= need) return;
        throw new IOException($"{catalogPath}: only {free >> 10} KiB free on the filesystem of the store {dir}; the catalog " +
            $"needs {need >> 10} KiB to write safely (No space left on device). Nothing was changed; free some space and run the command again");
    }
}
