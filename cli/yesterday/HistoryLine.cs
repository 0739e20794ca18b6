// One line of `yesterday -a`: when, size, owner, what changed, and where that version is in the mount
// ("(deleted)" for a deletion, which is nowhere).
using TimeTravel.Store.History;

namespace TimeTravel.Yesterday;

public static class HistoryLine
{
    public static void Write(TextWriter output, SnapshotStamp snap, (long Size, uint Uid, uint Gid)? file, IEnumerable<string> changes, string? where)
    {
        string what = string.Join(",", changes);
        output.WriteLine(file is { } f
            ? $"{snap.Time:yyyy-MM-dd HH:mm:ss}  {f.Size,12}  {$"{f.Uid}:{f.Gid}",-11}  {what,-16}  {where}"
            : $"{snap.Time:yyyy-MM-dd HH:mm:ss}  {"-",12}  {"-",-11}  {what,-16}  {where ?? "(deleted)"}");
    }
}
