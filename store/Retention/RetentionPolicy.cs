// Which snapshots a store keeps, in restic's rules: the newest N (--keep-last), the newest snapshot of each of the
// newest N hours, days, ISO weeks, months and years that have one (--keep-hourly ... --keep-yearly), and every
// snapshot taken within a duration of the newest (--keep-within). A count of 0 leaves the rule out and -1
// ("unlimited") keeps one per period for all periods. A policy with no rule keeps everything.
// Its text form is the flags themselves ("--keep-hourly 24 --keep-daily 14"): what `policy show` prints and what the
// catalog setting StoreCatalog.RetentionPolicy holds; parsing it back gives the same policy.
using System.Globalization;

namespace TimeTravel.Store.Retention;

public sealed record RetentionPolicy
{
    public const int Unlimited = -1;

    public int Last { get; init; }
    public int Hourly { get; init; }
    public int Daily { get; init; }
    public int Weekly { get; init; }
    public int Monthly { get; init; }
    public int Yearly { get; init; }
    public KeepWithin Within { get; init; } = KeepWithin.Zero;

    public static readonly RetentionPolicy None = new();

    /// <summary>The flags, in the order the text form writes them.</summary>
    public static readonly IReadOnlyList<string> Flags =
        ["--keep-last", "--keep-hourly", "--keep-daily", "--keep-weekly", "--keep-monthly", "--keep-yearly", "--keep-within"];

    public bool IsEmpty => Last == 0 && Hourly == 0 && Daily == 0 && Weekly == 0 && Monthly == 0 && Yearly == 0 && Within.IsZero;

    /// <summary>The count rules with the reason a snapshot each keeps is given (restic's words), newest-period first.</summary>
    internal IEnumerable<(int Count, string Reason, Func<DateTimeOffset, TimeZoneInfo, int, long> Bucket)> CountRules()
    {
        yield return (Last, "last snapshot", (_, _, nr) => nr);
        yield return (Hourly, "hourly snapshot", (t, z, _) => CalendarBuckets.Hour(t, z));
        yield return (Daily, "daily snapshot", (t, z, _) => CalendarBuckets.Day(t, z));
        yield return (Weekly, "weekly snapshot", (t, z, _) => CalendarBuckets.Week(t, z));
        yield return (Monthly, "monthly snapshot", (t, z, _) => CalendarBuckets.Month(t, z));
        yield return (Yearly, "yearly snapshot", (t, z, _) => CalendarBuckets.Year(t, z));
    }

    /// <summary>This policy with one rule set from its flag and value, as typed ("--keep-daily", "7").</summary>
    public RetentionPolicy With(string flag, string value) => flag switch
    {
        "--keep-last" => this with { Last = Count(flag, value) },
        "--keep-hourly" => this with { Hourly = Count(flag, value) },
        "--keep-daily" => this with { Daily = Count(flag, value) },
        "--keep-weekly" => this with { Weekly = Count(flag, value) },
        "--keep-monthly" => this with { Monthly = Count(flag, value) },
        "--keep-yearly" => this with { Yearly = Count(flag, value) },
        "--keep-within" => this with { Within = KeepWithin.Parse(value) },
        _ => throw new RetentionPolicyException($"'{flag}' is not a retention rule (the rules: {string.Join(", ", Flags)})"),
    };

    /// <summary>A count: a whole number from 0 up, or -1 / "unlimited" for every period.</summary>
    public static int Count(string flag, string value)
    {
        string v = value.Trim();
        if (v == "unlimited") return Unlimited;
        if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
            throw new RetentionPolicyException($"{flag} '{value}': not a count (a whole number, or -1 or unlimited for every period)");
        if (n < Unlimited)
            throw new RetentionPolicyException($"{flag} {n}: negative values other than -1 (unlimited) are not allowed");
        return n;
    }

    /// <summary>Reads the text form: flags with their values ("--keep-last 3 --keep-within=2d12h"), each flag at most once.</summary>
    public static RetentionPolicy Parse(string text)
    {
        var policy = None;
        var seen = new HashSet<string>();
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < words.Length; i++)
        {
            string flag = words[i], value;
            int eq = flag.IndexOf('=');
            if (eq >= 0) { value = flag[(eq + 1)..]; flag = flag[..eq]; }
            else if (i + 1 < words.Length) value = words[++i];
            else throw new RetentionPolicyException($"'{flag}' has no value");
            if (!Flags.Contains(flag)) throw new RetentionPolicyException($"'{flag}' is not a retention rule (the rules: {string.Join(", ", Flags)})");
            if (!seen.Add(flag)) throw new RetentionPolicyException($"{flag} is given twice");
            policy = policy.With(flag, value);
        }
        return policy;
    }

    /// <summary>The text form: the rules that are set, as flags, in a fixed order; "" for a policy with no rule.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        foreach (var (flag, count) in Counts())
            if (count != 0) parts.Add($"{flag} {(count == Unlimited ? "unlimited" : count.ToString(CultureInfo.InvariantCulture))}");
        if (!Within.IsZero) parts.Add($"--keep-within {Within}");
        return string.Join(' ', parts);
    }

    /// <summary>The count rules by flag, in text-form order (for JSON and ToString).</summary>
    public IEnumerable<(string Flag, int Count)> Counts() =>
        [("--keep-last", Last), ("--keep-hourly", Hourly), ("--keep-daily", Daily), ("--keep-weekly", Weekly), ("--keep-monthly", Monthly), ("--keep-yearly", Yearly)];

    /// <summary>In words: "keep the last 3, 24 hourly, all daily snapshots, and every snapshot within 2d12h of the newest".</summary>
    public string Describe()
    {
        if (IsEmpty) return "no rule: every snapshot is kept";
        var counts = new List<string>();
        foreach (var (flag, count) in Counts())
        {
            if (count == 0) continue;
            string what = flag == "--keep-last" ? "latest" : flag["--keep-".Length..];
            counts.Add(count == Unlimited ? $"all {what}" : $"{count} {what}");
        }
        var parts = new List<string>();
        if (counts.Count > 0) parts.Add(string.Join(", ", counts) + " snapshots");
        if (!Within.IsZero) parts.Add($"every snapshot within {Within} of the newest");
        return "keep " + string.Join(" and ", parts) + "; pinned snapshots always stay";
    }
}
