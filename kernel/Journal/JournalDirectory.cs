// The journal's files: segment-NNNN.ttj per cut interval, a lock file every writer holds while appending, and `id`:
// a random id made with the journal, so a snapshot can tell a journal that was deleted and begun again (its cut
// numbers restart at 1) from the one it consumed before.
//
// Segment N holds the records written after cut N-1, and its last record is SnapshotCut(N). Cutting appends that
// record and creates segment N+1, so old intervals are whole files a prune can delete.
using System.Globalization;
using TimeTravel.Store;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Journal;

internal static class JournalDirectory
{
    private const string Prefix = "segment-", Suffix = ".ttj";

    public static string SegmentPath(string directory, long number) =>
        Path.Combine(directory, Prefix + number.ToString("D16", CultureInfo.InvariantCulture) + Suffix);

    public static List<long> Segments(string directory)
    {
        var numbers = new List<long>();
        foreach (var file in Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(file);
            if (long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length),
                    NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                numbers.Add(n);
        }
        numbers.Sort();
        return numbers;
    }

    /// <summary>The segment currently appended to: the highest-numbered one.</summary>
    public static long Current(string directory)
    {
        var all = Segments(directory);
        return all.Count == 0 ? 0 : all[^1];
    }

    public static string IdPath(string directory) => Path.Combine(directory, "id");

    /// <summary>The journal's id, or null when it has none (a new journal, or one from before ids existed).</summary>
    public static string? ReadId(string directory)
    {
        try { return File.ReadAllText(IdPath(directory)).Trim() is { Length: > 0 } id ? id : null; }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Gives the journal a fresh random id (written whole: temporary file, fsync, rename, fsync of the directory).</summary>
    public static string CreateId(string directory)
    {
        var id = Guid.NewGuid().ToString("N");
        var tmp = IdPath(directory) + ".tmp";
        using (var stream = StoreFiles.Open(tmp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(id + "\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, IdPath(directory), overwrite: true);
        PosixFs.FsyncDirectory(directory);
        return id;
    }

    /// <summary>Takes the journal's exclusive lock (flock through FileShare.None), waiting for other writers.</summary>
    public static FileStream Lock(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: the journal directory is gone");
        var path = Path.Combine(directory, "lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return StoreFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }
}
