// The journal's files: segment-NNNN.ttj per cut interval, and a lock file every writer holds while appending.
//
// Segment N holds the records written after cut N-1, and its last record is SnapshotCut(N). Cutting appends that
// record and creates segment N+1, so old intervals are whole files a prune can delete.
using System.Globalization;

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

    /// <summary>Takes the journal's exclusive lock (flock through FileShare.None), waiting for other writers.</summary>
    public static FileStream Lock(string directory)
    {
        var path = Path.Combine(directory, "lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }
}
