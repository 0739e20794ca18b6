// `timetravel snapshot`: takes a snapshot of every source. Exit 0 complete, 3 partial (some files unreadable), 1 failed.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Kernel.Consistency;
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
    public static readonly Option<string> Consistent = new("--consistent")
    {
        Description = "auto: read btrfs sources from a btrfs snapshot and freeze ext4/xfs for a journal-driven read when allowed; off: read live",
        DefaultValueFactory = _ => "auto",
    };
    public static readonly Option<string> FreezeLimit = new("--freeze-limit")
    {
        Description = "The longest a filesystem stays frozen (2s, 500ms); a longer read is not frozen; default 2s",
        DefaultValueFactory = _ => "2s",
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
        var cmd = new Command("snapshot", "Take a snapshot of every source") { Full, Reread, NoRanges, Consistent, FreezeLimit, At, FullWalkEvery, json, quiet };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            var policy = new SnapshotPolicy(r.GetValue(Full), ParseInterval(r.GetValue(FullWalkEvery)!), UseRanges: !r.GetValue(NoRanges),
                Consistency: ConsistencyPolicy.Parse(r.GetValue(Consistent)!, r.GetValue(FreezeLimit)!));
            using var repo = Repository.OpenWriter(CommonOptions.StoreRoot(r), "timetravel snapshot");
            var options = new SnapshotOptions
            {
                RereadAll = r.GetValue(Reread),
                Time = r.GetValue(At) is { } t ? DateTimeOffset.Parse(t) : null,
            };
            var s = SnapshotRun.Take(repo, options, policy);
            if (r.GetValue(json)) JsonOut.Write(w => ListCommand.WriteSnapshot(w, s));
            else if (!r.GetValue(quiet)) Console.WriteLine(SnapshotRun.Summary(s));
            return SnapshotRun.ExitCode(s);
        }));
        return cmd;
    }
}
