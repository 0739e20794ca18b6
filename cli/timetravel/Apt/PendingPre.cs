// The apt hook's state between `apt-hook pre` and `apt-hook post` (docs/format.md, "apt-hook.state"): the pre
// checkpoint's id and where dpkg's log ended then. Three text lines, written beside and renamed into place.
using System.Globalization;
using TimeTravel.Store;

namespace TimeTravel.Cli.Apt;

public sealed record PendingPre(long PreId, string DpkgLog, long DpkgLogOffset)
{
    public const string Magic = "timetravel-apt-hook-state 1";

    public void Save(StoreLayout layout)
    {
        string tmp = layout.AptHookState + ".tmp";
        StoreFiles.WriteAllText(tmp, $"{Magic}\npre {PreId.ToString(CultureInfo.InvariantCulture)}\n" +
            $"dpkg-log {DpkgLogOffset.ToString(CultureInfo.InvariantCulture)} {DpkgLog}\n");
        File.Move(tmp, layout.AptHookState, overwrite: true);
    }

    /// <summary>The pending pre checkpoint, or null when there is none; InvalidDataException naming the file when it is damaged.</summary>
    public static PendingPre? Load(StoreLayout layout)
    {
        string path = layout.AptHookState;
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllText(path).Split('\n');
        if (lines.Length != 4 || lines[0] != Magic || lines[3] != ""
            || !lines[1].StartsWith("pre ", StringComparison.Ordinal) || !long.TryParse(lines[1][4..], NumberStyles.None, CultureInfo.InvariantCulture, out long id) || id <= 0
            || lines[2].Split(' ', 3) is not ["dpkg-log", var offsetText, var log]
            || !long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
            throw new InvalidDataException($"{path}: not an apt hook state file (damaged?); it is ignored");
        return new PendingPre(id, log, offset);
    }

    public static void Clear(StoreLayout layout) => File.Delete(layout.AptHookState);
}
