// The --keep-* options of `forget` and `policy set`, restic's names and meanings: each read into a RetentionPolicy.
// Counts are strings so that -1 and "unlimited" both read as every period.
using System.CommandLine;
using TimeTravel.Store.Retention;

namespace TimeTravel.Cli.Commands;

public sealed class RetentionOptions
{
    private readonly List<(string Flag, Option<string?> Option)> _options = [];

    public RetentionOptions()
    {
        Add("--keep-last", "Keep the newest N snapshots");
        Add("--keep-hourly", "Keep the newest snapshot of each of the newest N hours that have one (-1: every hour)");
        Add("--keep-daily", "Keep the newest snapshot of each of the newest N days that have one (-1: every day)");
        Add("--keep-weekly", "Keep the newest snapshot of each of the newest N ISO weeks that have one (-1: every week)");
        Add("--keep-monthly", "Keep the newest snapshot of each of the newest N months that have one (-1: every month)");
        Add("--keep-yearly", "Keep the newest snapshot of each of the newest N years that have one (-1: every year)");
        Add("--keep-within", "Keep every snapshot taken within this long of the newest (NUMBER UNIT pairs, units y m d h: 2d12h)");
    }

    private void Add(string flag, string description) =>
        _options.Add((flag, new Option<string?>(flag) { Description = description, HelpName = flag == "--keep-within" ? "DURATION" : "N" }));

    public IEnumerable<Option> All => _options.Select(o => (Option)o.Option);

    /// <summary>The policy the command line gives, or null when it gives no --keep-* option at all.</summary>
    public RetentionPolicy? From(ParseResult r)
    {
        RetentionPolicy? policy = null;
        foreach (var (flag, option) in _options)
            if (r.GetValue(option) is { } value)
                policy = (policy ?? RetentionPolicy.None).With(flag, value);
        return policy;
    }
}
