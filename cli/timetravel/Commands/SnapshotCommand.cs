// `timetravel snapshot`: takes a snapshot of every source. Exit 0 complete, 3 partial (some files unreadable), 1 failed.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Kernel.Planning;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Cli.Commands;

public static class SnapshotCommand
{
    public static readonly Option<bool> Full = new("--full") { Description = "Walk every source even where the change journal could be used" };
    public static readonly Option<bool> Reread = new("--reread") { Description = "Read every file, even those whose size, mtime and ctime are unchanged" };
    public static readonly Option<bool> NoRanges = new("--no-ranges")
    {
        Description = "Read changed files whole even when the range tracker knows which parts of them changed",
    };
    public static readonly Option<string?> At = new("--time") { Description = "Record the snapshot as taken at this time (for imports and tests)", Hidden = true };
    public static readonly Option<string> FullWalkEvery = new("--full-walk-every")
    {
        Description = "Walk every source when the last full walk is older than this (30m, 12h, 1d, 7d; 'never'); default 1d",
        DefaultValueFactory = _ => "1d",
    };

    /// <summary>Parses a duration: a number with s, m, h or d, or "never".</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var t = text.Trim();
        if (t == "never") return TimeSpan.MaxValue;
        if (t.Length >= 2 && double.TryParse(t[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double n) && n >= 0)
        {
            switch (t[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new StoreException($"--full-walk-every {text}: expected a number followed by s, m, h or d (e.g. 12h), or never");
    }

    public static Command Create()
    {
        var json = CommonOptions.Json();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but errors" };
        var cmd = new Command("snapshot", "Take a snapshot of every source") { Full, Reread, NoRanges, At, FullWalkEvery, json, quiet };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            var policy = new SnapshotPolicy(r.GetValue(Full), ParseInterval(r.GetValue(FullWalkEvery)!), UseRanges: !r.GetValue(NoRanges));
            using var repo = Repository.OpenWriter(r.GetValue(CommonOptions.Store)!, "timetravel snapshot");
            var options = new SnapshotOptions
            {
                RereadAll = r.GetValue(Reread),
                Time = r.GetValue(At) is { } t ? DateTimeOffset.Parse(t) : null,
            };
            var progress = new SnapshotProgress();
            long expected = Math.Max(0, repo.Catalog.Snapshots().LastOrDefault()?.Stats.LogicalBytes ?? 0);
            var result = ProgressDisplay.Run(progress, expected,
                () => IncrementalSnapshot.Take(repo, options, policy, progress, m => Console.Error.WriteLine($"timetravel: {m}")));
            var s = result.Record;
            if (r.GetValue(json)) JsonOut.Write(w => ListCommand.WriteSnapshot(w, s));
            else if (!r.GetValue(quiet))
                Console.WriteLine($"snapshot {s.Name}{(s.Complete ? "" : " (partial)")}: {s.Stats.Files} files, {s.Stats.Directories} dirs, " +
                    $"{Human.Bytes(s.Stats.LogicalBytes)} (visited {s.Stats.VisitedFiles} files, {s.Stats.VisitedDirectories} dirs); read {Human.Bytes(s.Stats.BytesRead)}{ReadsSummary(s.Stats)}, new {Human.Bytes(s.Stats.NewBytes)} " +
                    $"({Human.Bytes(s.Stats.StoredBytes)} stored) in {s.Stats.DurationMs / 1000.0:0.00} s [{s.Method}: {s.MethodReason}]");
            return s.Complete ? CommonOptions.Ok : CommonOptions.Partial;
        }));
        return cmd;
    }

    // " (2 files by changed ranges: 1.1 MiB of 10 GiB; 3 whole; 40 kept)": how the content was got, when ranges were used.
    private static string ReadsSummary(SnapshotStats st) =>
        st.RangeFiles <= 0 ? ""
        : $" ({st.RangeFiles} file{(st.RangeFiles == 1 ? "" : "s")} by changed ranges: {Human.Bytes(st.RangeBytesRead)} of {Human.Bytes(st.RangeFileBytes)}; "
          + $"{st.WholeFiles} whole; {st.ReusedFiles} kept)";
}
