// Builds plans from readable times for the retention tests: snapshots given as UTC instants ("2026-10-25T00:30"),
// ids in the order given, and the decisions read back as the sets of kept times and their reasons.
using System.Globalization;
using TimeTravel.Store.Retention;

namespace TimeTravel.Tests.Store.Retention;

internal static class RetentionPlanSupport
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    public static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset U(string utc) =>
        DateTimeOffset.ParseExact(utc, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static List<RetentionCandidate> Taken(params string[] utc) =>
        utc.Select((t, i) => new RetentionCandidate(i + 1, U(t), false)).ToList();

    public static RetentionPlan Plan(string policy, IEnumerable<RetentionCandidate> snapshots, TimeZoneInfo? zone = null, DateTimeOffset? now = null) =>
        RetentionPlan.Make(RetentionPolicy.Parse(policy), snapshots, zone ?? Utc, now ?? Now);

    /// <summary>The kept snapshots' UTC times as "yyyy-MM-ddTHH:mm", oldest first.</summary>
    public static List<string> KeptTimes(RetentionPlan plan) =>
        plan.Kept.Select(d => d.Snapshot.Time.UtcDateTime).Order().Select(t => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)).ToList();

    public static IReadOnlyList<string> ReasonsFor(RetentionPlan plan, string utc) =>
        plan.Decisions.Single(d => d.Snapshot.Time == U(utc)).Reasons;

    /// <summary>One snapshot every `step` from `first` (UTC), `count` of them.</summary>
    public static List<RetentionCandidate> Every(string first, TimeSpan step, int count) =>
        Enumerable.Range(0, count).Select(i => new RetentionCandidate(i + 1, U(first) + step * i, false)).ToList();
}
