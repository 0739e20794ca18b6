// The store's record of the last rollback (STORE/rollback): which snapshot it rolls back to and which snapshot holds
// the state before it (the undo point). Written with phase running before anything in the sources changes, so that
// running the same rollback again after a kill or a crash reuses that undo point instead of taking the half-rolled-
// back state for it; set to done at the end, which is what `rollback --undo` reads. Format in docs/format.md §14.
using System.Text;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Rollback;

public sealed record RollbackState(string Phase, long TargetId, string TargetName, long UndoId, string UndoName)
{
    public const string Running = "running", Done = "done";
    private const string Magic = "timetravel-rollback 1";

    public static string PathIn(StoreLayout layout) => Path.Combine(layout.Root, "rollback");

    /// <summary>The recorded state; null when no rollback was ever run. StoreFormatException naming the file when it is damaged.</summary>
    public static RollbackState? Read(StoreLayout layout)
    {
        string path = PathIn(layout);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
        if (lines.Length < 4 || lines[0] != Magic)
            throw new StoreFormatException(path, $"expected a rollback state starting with \"{Magic}\"; remove the file if no rollback is unfinished");
        string phase = Field(lines[1], "phase", path);
        if (phase is not (Running or Done)) throw new StoreFormatException(path, $"phase '{phase}' is neither {Running} nor {Done}");
        var (targetId, targetName) = Snapshot(Field(lines[2], "target", path), path);
        var (undoId, undoName) = Snapshot(Field(lines[3], "undo", path), path);
        return new RollbackState(phase, targetId, targetName, undoId, undoName);
    }

    /// <summary>Replaces the state atomically: written beside, fsynced, renamed, and the store directory fsynced.</summary>
    public static void Write(StoreLayout layout, RollbackState state)
    {
        string path = PathIn(layout), temp = path + ".tmp";
        using (var f = StoreFiles.Open(temp, FileMode.Create, FileAccess.Write))
        {
            f.Write(Encoding.UTF8.GetBytes($"{Magic}\nphase {state.Phase}\ntarget {state.TargetId} {state.TargetName}\nundo {state.UndoId} {state.UndoName}\n"));
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        PosixFs.FsyncDirectory(layout.Root);
    }

    private static string Field(string line, string key, string path) =>
        line.StartsWith(key + " ", StringComparison.Ordinal) ? line[(key.Length + 1)..]
        : throw new StoreFormatException(path, $"expected a line \"{key} ...\", found \"{line}\"");

    private static (long, string) Snapshot(string value, string path)
    {
        int space = value.IndexOf(' ');
        if (space <= 0 || !long.TryParse(value[..space], out long id) || id <= 0)
            throw new StoreFormatException(path, $"\"{value}\" is not a snapshot id and name");
        return (id, value[(space + 1)..]);
    }
}
