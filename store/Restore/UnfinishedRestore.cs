// A directory restored to a place where nothing was carries a marker file until its restore is through, so that
// running the same restore again (after a kill, a crash, a full disk) finishes it, instead of taking the directory
// for an existing one and restoring into it (`--to NEW` would nest into NEW/NAME). The marker holds the score of
// the snapshot directory being restored: only a restore of that same tree resumes there. Its name has the prefix of
// the restorer's temporary files, which a rollback leaves alone.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Restore;

public static class UnfinishedRestore
{
    private static ReadOnlySpan<byte> MarkerName => ".tt-restore-unfinished"u8;

    public static bool IsMarker(ReadOnlySpan<byte> name) => name.SequenceEqual(MarkerName);

    /// <summary>The score of the tree whose restore into `dir` is unfinished; null when `dir` has no marker.</summary>
    public static string? Of(byte[] dir)
    {
        var marker = PathBytes.Join(dir, MarkerName);
        if (!PosixFs.TryLStat(marker, out var st) || st.Kind != FileKind.Regular || st.Size > 256) return null;
        using var h = PosixFs.OpenRead(marker);
        var buffer = new byte[st.Size];
        int n = RandomAccess.Read(h, buffer, 0);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim();
    }

    /// <summary>Whether `dir` holds an unfinished restore of `node` (a directory of a snapshot).</summary>
    public static bool IsOf(byte[] dir, Node node) => Of(dir) == Score(node);

    internal static void Mark(byte[] dir, Node node)
    {
        var marker = PathBytes.Join(dir, MarkerName);
        using var h = PosixFs.CreateWrite(marker, 0x180, exclusive: true);
        RandomAccess.Write(h, PathBytes.From(Score(node) + "\n"), 0);
        PosixFs.Fsync(h, PathBytes.Display(marker)); // a crash must not leave the directory without it
    }

    internal static void Done(byte[] dir)
    {
        try { PosixFs.Unlink(PathBytes.Join(dir, MarkerName)); }
        catch (PosixException e) when (e.Errno == 2 /* ENOENT */) { }
    }

    private static string Score(Node node) => node.Content.ToString();
}
