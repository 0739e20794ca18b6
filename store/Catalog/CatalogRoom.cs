// Room on the filesystem before a catalog write. LiteDB 5 writes its log on a thread of its own; when a write fails
// there (ENOSPC) that thread ends, and every later wait for it (the commit, the checkpoint, the close) blocks forever,
// with the store's writer lock held. The failure cannot be caught after the fact, so no write starts without room;
// and a write that another process's filling of the disk caught anyway is given up on by Watch, with an error.
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
        // Tests only: lets a write start on a nearly full disk, as one would that another process filled meanwhile.
        if (Environment.GetEnvironmentVariable("TIMETRAVEL_TEST_NO_CATALOG_ROOM") == "1") return;
        string dir = Path.GetDirectoryName(Path.GetFullPath(catalogPath))!;
        long need = Base + PerRecord * Math.Max(0, records);
        long free = new DriveInfo(dir).AvailableFreeSpace; // what df shows as available
        if (free >= need) return;
        throw new IOException($"{catalogPath}: only {free >> 10} KiB free on the filesystem of the store {dir}; the catalog " +
            $"needs {need >> 10} KiB to write safely (No space left on device). Nothing was changed; free some space and run the command again");
    }

    /// <summary>How long a catalog write may take at all before it is given up on, whatever the free space.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs a catalog write and returns its result, or throws an IOException naming the catalog when the write has not
    /// finished while the filesystem is full (looked at every two seconds), or after <see cref="Patience"/>: LiteDB's
    /// writer thread has then ended and the write would wait for ever. <paramref name="abandoned"/> is called first,
    /// so the catalog is not closed (closing waits for that thread too); the caller's writer lock is still released.
    /// </summary>
    public static T Watch<T>(string catalogPath, Func<T> write, Action abandoned)
    {
        var work = Task.Factory.StartNew(write, TaskCreationOptions.LongRunning);
        var started = DateTime.UtcNow;
        string dir = Path.GetDirectoryName(Path.GetFullPath(catalogPath))!;
        while (!Finished(work, TimeSpan.FromSeconds(2)))
        {
            long free = new DriveInfo(dir).AvailableFreeSpace;
            bool full = free < Base;
            if (!full && DateTime.UtcNow - started < Patience) continue;
            abandoned();
            throw new IOException(full
                ? $"{catalogPath}: the catalog write did not finish, and only {free >> 10} KiB are free on the filesystem of the store {dir} " +
                  "(No space left on device); the command's change is not recorded. Free some space and run the command again"
                : $"{catalogPath}: the catalog write did not finish in {Patience.TotalMinutes:0} minutes; the command's change is not recorded");
        }
        return work.GetAwaiter().GetResult(); // the write's own exception, not an AggregateException
    }

    // Task.Wait throws the write's failure wrapped in an AggregateException; here a failure is just a finished write.
    private static bool Finished(Task work, TimeSpan wait)
    {
        try { return work.Wait(wait); }
        catch (AggregateException) { return true; }
    }

    /// <summary>Whether an exception is the filesystem saying it is full (ENOSPC or EDQUOT), not damage.</summary>
    public static bool IsNoSpace(Exception? e)
    {
        for (; e is not null; e = e.InnerException) // LiteDB may wrap the IOException in one of its own
            if (e is IOException && (e.Message.Contains("No space left on device", StringComparison.Ordinal) ||
                                     e.Message.Contains("Disk quota exceeded", StringComparison.Ordinal)))
                return true;
        return false;
    }
}
