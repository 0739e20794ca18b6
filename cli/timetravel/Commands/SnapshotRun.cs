// Taking one snapshot the way `timetravel snapshot` does, shared by `snapshot`, `checkpoint` and the apt hook: the
// journal-or-walk decision (IncrementalSnapshot), the progress bar on a terminal, messages on stderr, the summary line.
using TimeTravel.Cli.Output;
using TimeTravel.Kernel.Planning;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class SnapshotRun
{
    /// <summary>What `snapshot` does without options: the journal where it can, a full walk once a day, ranges read.</summary>
    public static SnapshotPolicy DefaultPolicy => new(false, TimeSpan.FromDays(1), UseRanges: true);

    /// <summary>Takes a snapshot into an open writer and returns its record (with its id).</summary>
    public static SnapshotRecord Take(Repository repo, SnapshotOptions options, SnapshotPolicy policy)
    {
        var progress = new SnapshotProgress();
        long expected = Math.Max(0, repo.OwnSnapshots().LastOrDefault()?.Stats.LogicalBytes ?? 0);
        return ProgressDisplay.Run(progress, expected,
            () => IncrementalSnapshot.Take(repo, options, policy, progress, m => Console.Error.WriteLine($"timetravel: {m}"))).Record;
    }

    /// <summary>0 complete, 3 partial (some files unreadable).</summary>
    public static int ExitCode(SnapshotRecord s) => s.Complete ? CommonOptions.Ok : CommonOptions.Partial;

    /// <summary>The line `snapshot` prints: what the snapshot holds, what it read and stored, and how it was made.</summary>
    public static string Summary(SnapshotRecord s)
    {
        var st = s.Stats;
        return $"snapshot {s.Name}{(s.Complete ? "" : " (partial)")}: {st.Files} files, {st.Directories} dirs, " +
            $"{Human.Bytes(st.LogicalBytes)} (visited {st.VisitedFiles} files, {st.VisitedDirectories} dirs); read {Human.Bytes(st.BytesRead)}{ReadsSummary(st)}, new {Human.Bytes(st.NewBytes)} " +
            $"({Human.Bytes(st.StoredBytes)} stored) in {st.DurationMs / 1000.0:0.00} s [{s.Method}: {s.MethodReason}]";
    }

    // " (2 files by changed ranges: 1.1 MiB of 10 GiB; 3 whole; 40 kept)": how the content was got, when ranges were used.
    private static string ReadsSummary(SnapshotStats st) =>
        st.RangeFiles <= 0 ? ""
        : $" ({st.RangeFiles} file{(st.RangeFiles == 1 ? "" : "s")} by changed ranges: {Human.Bytes(st.RangeBytesRead)} of {Human.Bytes(st.RangeFileBytes)}; "
          + $"{st.WholeFiles} whole; {st.ReusedFiles} kept)";
}
