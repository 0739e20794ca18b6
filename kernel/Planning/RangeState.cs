// What the last committed snapshot took from the range tracker, kept in JOURNAL/ranges.state so the next snapshot can
// tell whether the tracker's record covers the whole interval since: the same tracker session (a restart is a gap),
// consumed by that very snapshot, and no update lost to full maps since. Four lines of text:
//   session HEX / epoch N / snapshot ID / lost N
using TimeTravel.Store;
using TimeTravel.Store.Posix;

namespace TimeTravel.Kernel.Planning;

public sealed record RangeState(ulong Session, ulong Epoch, long SnapshotId, ulong Lost)
{
    public const string FileName = "ranges.state";

    /// <summary>The recorded state, or null when there is none or it cannot be read (either way: no continuity).</summary>
    public static RangeState? Read(string journalDirectory)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(journalDirectory, FileName));
            var v = lines.Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            return new RangeState(Convert.ToUInt64(v["session"], 16), ulong.Parse(v["epoch"]), long.Parse(v["snapshot"]), ulong.Parse(v["lost"]));
        }
        catch (Exception e) when (e is IOException or FormatException or KeyNotFoundException or OverflowException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Replaces the recorded state atomically (write beside, fsync, rename).</summary>
    public void Write(string journalDirectory)
    {
        string path = Path.Combine(journalDirectory, FileName), tmp = path + ".tmp";
        using (var stream = StoreFiles.Open(tmp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes($"session {Session:x}\nepoch {Epoch}\nsnapshot {SnapshotId}\nlost {Lost}\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        PosixFs.FsyncDirectory(journalDirectory);
    }
}
