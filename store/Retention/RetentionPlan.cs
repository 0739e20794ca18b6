// What a policy does to a list of snapshots: for each one, keep or remove, and every rule that keeps it. The rules
// are restic's `forget`, rule by rule: the snapshots are taken newest first (equal times: the higher id, committed
// later, first); each count rule keeps a snapshot whose period differs from the last one the rule kept, while the
// rule has count left (-1: always), and when the rule still has count left at the oldest snapshot it keeps that one
// too ("oldest daily snapshot"), so a young store keeps its full history; --keep-within keeps every snapshot taken
// strictly after the newest's time less the duration (the newest that is not in the future: a snapshot dated ahead
// by a wrong clock does not push the window forward). A snapshot kept by any rule stays. A pinned snapshot always
// stays ("pinned"), and like restic's --keep-tag the pin does not change what the rules count.
using TimeTravel.Store.Catalog;

namespace TimeTravel.Store.Retention;

/// <summary>What the plan needs to know of a snapshot.</summary>
public sealed record RetentionCandidate(long Id, DateTimeOffset Time, bool Pinned)
{
    public static RetentionCandidate Of(SnapshotRecord s) => new(s.Id, s.Time, s.Pin is not null);
}

public sealed record RetentionDecision(RetentionCandidate Snapshot, bool Keep, IReadOnlyList<string> Reasons);

public sealed class RetentionPlan
{
    public const string PinnedReason = "pinned", NoRuleReason = "the policy has no rule";

    public RetentionPolicy Policy { get; }

    /// <summary>Every snapshot, newest first, with its decision.</summary>
    public IReadOnlyList<RetentionDecision> Decisions { get; }

    public IEnumerable<RetentionDecision> Kept => Decisions.Where(d => d.Keep);
    public IEnumerable<RetentionDecision> Removed => Decisions.Where(d => !d.Keep);

    private RetentionPlan(RetentionPolicy policy, IReadOnlyList<RetentionDecision> decisions) { Policy = policy; Decisions = decisions; }

    /// <summary>The plan of `policy` for these snapshots, periods taken in `zone`, `now` the present (for --keep-within).</summary>
    public static RetentionPlan Make(RetentionPolicy policy, IEnumerable<RetentionCandidate> snapshots, TimeZoneInfo zone, DateTimeOffset now)
    {
        var list = snapshots.OrderByDescending(s => s.Time).ThenByDescending(s => s.Id).ToList();
        var decisions = new List<RetentionDecision>(list.Count);
        if (policy.IsEmpty)
        {
            foreach (var s in list) decisions.Add(new RetentionDecision(s, true, s.Pinned ? [PinnedReason, NoRuleReason] : [NoRuleReason]));
            return new RetentionPlan(policy, decisions);
        }

        var rules = policy.CountRules().Select(r => new CountRule(r.Count, r.Reason, r.Bucket)).ToList();
        // restic's latest: the newest snapshot not in the future; with none, every snapshot is within.
        var latest = list.Where(s => s.Time < now).Select(s => (DateTimeOffset?)s.Time).FirstOrDefault();
        var withinCutoff = policy.Within.IsZero ? (DateTimeOffset?)null
            : latest is { } l ? policy.Within.Cutoff(l, zone) : DateTimeOffset.MinValue;

        for (int nr = 0; nr < list.Count; nr++)
        {
            var s = list[nr];
            var reasons = new List<string>();
            if (s.Pinned) reasons.Add(PinnedReason);
            if (withinCutoff is { } cutoff && s.Time > cutoff) reasons.Add($"within {policy.Within}");
            bool oldest = nr == list.Count - 1;
            foreach (var rule in rules)
            {
                if (rule.Left == 0) continue;
                long bucket = rule.Bucket(s.Time, zone, nr);
                if (bucket == rule.LastKept && !oldest) continue;
                reasons.Add(bucket == rule.LastKept ? "oldest " + rule.Reason : rule.Reason);
                rule.LastKept = bucket;
                if (rule.Left > 0) rule.Left--;
            }
            decisions.Add(new RetentionDecision(s, reasons.Count > 0, reasons));
        }
        return new RetentionPlan(policy, decisions);
    }

    private sealed class CountRule(int count, string reason, Func<DateTimeOffset, TimeZoneInfo, int, long> bucket)
    {
        public int Left = count; // -1: unlimited; 0: the rule is not set, or has kept all it may
        public readonly string Reason = reason;
        public readonly Func<DateTimeOffset, TimeZoneInfo, int, long> Bucket = bucket;
        public long? LastKept;
    }
}
