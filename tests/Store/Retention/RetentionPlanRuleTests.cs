// Each rule of a retention policy alone and in combination, as restic's `forget` applies them: newest first, the
// newest snapshot of each period, counts of periods that have a snapshot, the oldest kept while count is left,
// -1 for all periods, --keep-within from the newest, ties by id, pins always kept, every keeping rule named.
using TimeTravel.Store.Retention;
using Xunit;
using static TimeTravel.Tests.Store.Retention.RetentionPlanSupport;

namespace TimeTravel.Tests.Store.Retention;

public class RetentionPlanRuleTests
{
    private static readonly List<RetentionCandidate> Hours = Taken(
        "2026-01-05T10:05", "2026-01-05T10:35", "2026-01-05T11:10", "2026-01-05T11:50", "2026-01-05T12:20");

    [Fact]
    public void KeepLastKeepsTheNewestNAndRemovesTheRest()
    {
        var plan = Plan("--keep-last 2", Hours);
        Assert.Equal(["2026-01-05T11:50", "2026-01-05T12:20"], KeptTimes(plan));
        Assert.Equal(["last snapshot"], ReasonsFor(plan, "2026-01-05T12:20"));
        Assert.Empty(ReasonsFor(plan, "2026-01-05T10:05"));
        Assert.Equal(3, plan.Removed.Count());
    }

    [Fact]
    public void KeepLastLargerThanTheListKeepsEverySnapshotOnce()
    {
        var plan = Plan("--keep-last 10", Hours);
        Assert.Equal(5, plan.Kept.Count());
        Assert.All(plan.Decisions, d => Assert.Equal(["last snapshot"], d.Reasons));
    }

    [Fact]
    public void KeepHourlyKeepsTheNewestSnapshotOfEachOfTheNewestHours()
    {
        var plan = Plan("--keep-hourly 2", Hours);
        Assert.Equal(["2026-01-05T11:50", "2026-01-05T12:20"], KeptTimes(plan));
    }

    [Fact]
    public void ACountRuleWithCountLeftAlsoKeepsTheOldestSnapshot()
    {
        var plan = Plan("--keep-hourly 5", Hours);
        Assert.Equal(["2026-01-05T10:05", "2026-01-05T10:35", "2026-01-05T11:50", "2026-01-05T12:20"], KeptTimes(plan));
        Assert.Equal(["oldest hourly snapshot"], ReasonsFor(plan, "2026-01-05T10:05"));
        Assert.Equal(["hourly snapshot"], ReasonsFor(plan, "2026-01-05T10:35"));
        Assert.Empty(ReasonsFor(plan, "2026-01-05T11:10"));
    }

    [Fact]
    public void ACountRuleThatUsedItsCountDoesNotKeepTheOldest()
    {
        var plan = Plan("--keep-hourly 3", Hours);
        Assert.Equal(["2026-01-05T10:35", "2026-01-05T11:50", "2026-01-05T12:20"], KeptTimes(plan));
    }

    [Fact]
    public void KeepDailyWeeklyMonthlyYearlyEachKeepTheNewestOfTheirPeriods()
    {
        var snaps = Taken(
            "2024-06-01T08:00", "2024-12-30T08:00", // 2024: June, then ISO week 1 of 2025 (Monday 30 December)
            "2025-03-03T08:00", "2025-03-05T08:00", "2025-03-09T08:00", // Mon, Wed, Sun of week 10
            "2025-03-10T08:00", "2025-03-10T20:00", "2025-03-11T08:00"); // Mon, Mon evening, Tue of week 11
        Assert.Equal(["2025-03-10T20:00", "2025-03-11T08:00"], KeptTimes(Plan("--keep-daily 2", snaps)));
        Assert.Equal(["2025-03-09T08:00", "2025-03-11T08:00"], KeptTimes(Plan("--keep-weekly 2", snaps)));
        Assert.Equal(["2024-12-30T08:00", "2025-03-11T08:00"], KeptTimes(Plan("--keep-monthly 2", snaps)));
        Assert.Equal(["2024-12-30T08:00", "2025-03-11T08:00"], KeptTimes(Plan("--keep-yearly 2", snaps)));
        // Three years asked, two have snapshots: the oldest snapshot is kept as well.
        var yearly = Plan("--keep-yearly 3", snaps);
        Assert.Equal(["2024-06-01T08:00", "2024-12-30T08:00", "2025-03-11T08:00"], KeptTimes(yearly));
        Assert.Equal(["oldest yearly snapshot"], ReasonsFor(yearly, "2024-06-01T08:00"));
    }

    [Fact]
    public void MinusOneAndUnlimitedKeepOnePerPeriodForEveryPeriod()
    {
        var snaps = Every("2026-02-01T06:00", TimeSpan.FromHours(6), 4 * 30); // 1 February 06:00 to 3 March 00:00, four a day
        foreach (var policy in new[] { "--keep-daily -1", "--keep-daily unlimited", "--keep-daily=-1" })
        {
            var plan = Plan(policy, snaps);
            // The newest of each of the 31 days, and the very oldest (06:00 on the first day), kept while count is left.
            Assert.Equal(32, plan.Kept.Count());
            Assert.Equal(["oldest daily snapshot"], ReasonsFor(plan, "2026-02-01T06:00"));
            Assert.Equal(["daily snapshot"], ReasonsFor(plan, "2026-03-03T00:00"));
        }
    }

    [Fact]
    public void KeepWithinKeepsWhatIsStrictlyAfterTheNewestLessTheDuration()
    {
        var snaps = Every("2026-05-01T00:00", TimeSpan.FromHours(12), 11); // to 2026-05-06T00:00
        var plan = Plan("--keep-within 2d", snaps);
        // The cutoff is 2026-05-04T00:00: that snapshot is not within, the three after it are.
        Assert.Equal(["2026-05-04T12:00", "2026-05-05T00:00", "2026-05-05T12:00", "2026-05-06T00:00"], KeptTimes(plan));
        Assert.Equal(["within 2d"], ReasonsFor(plan, "2026-05-04T12:00"));
        Assert.Equal(["2026-05-05T12:00", "2026-05-06T00:00"], KeptTimes(Plan("--keep-within 1d", snaps)));
        Assert.Equal(3, Plan("--keep-within 1d12h", snaps).Kept.Count()); // cutoff 2026-05-04T12:00
    }

    [Fact]
    public void KeepWithinStepsBackCalendarMonthsAsGoAddDateNormalisesThem()
    {
        // 31 March less one month is "31 February", which is 3 March (2026 is not a leap year).
        var snaps = Taken("2026-03-03T12:00", "2026-03-03T12:01", "2026-03-31T12:00");
        Assert.Equal(["2026-03-03T12:01", "2026-03-31T12:00"], KeptTimes(Plan("--keep-within 1m", snaps)));
        // And a year back from 29 February is 1 March.
        var leap = Taken("2027-03-01T00:00", "2027-03-01T00:01", "2028-02-29T00:00");
        Assert.Equal(["2027-03-01T00:01", "2028-02-29T00:00"], KeptTimes(Plan("--keep-within 1y", leap)));
    }

    [Fact]
    public void KeepWithinMeasuresFromTheNewestSnapshotThatIsNotInTheFuture()
    {
        var snaps = Taken("2026-01-01T00:00", "2026-01-09T00:00", "2026-01-10T00:00", "2026-06-01T00:00");
        var now = U("2026-01-10T06:00");
        // The June snapshot (a clock that ran ahead) is within, but does not push the window past the others.
        Assert.Equal(["2026-01-09T00:00", "2026-01-10T00:00", "2026-06-01T00:00"], KeptTimes(Plan("--keep-within 2d", snaps, now: now)));
        // Every snapshot in the future: restic keeps them all.
        Assert.Equal(4, Plan("--keep-within 1h", snaps, now: U("2025-01-01T00:00")).Kept.Count());
    }

    [Fact]
    public void ASnapshotKeptByAnyRuleStaysAndEveryRuleThatKeepsItIsListed()
    {
        var snaps = Every("2026-04-01T00:00", TimeSpan.FromHours(8), 3 * 10); // 10 days, three a day
        var plan = Plan("--keep-last 2 --keep-daily 3 --keep-weekly 1 --keep-within 12h", snaps);
        var newest = "2026-04-10T16:00";
        Assert.Equal(["within 12h", "last snapshot", "daily snapshot", "weekly snapshot"], ReasonsFor(plan, newest));
        Assert.Equal(["within 12h", "last snapshot"], ReasonsFor(plan, "2026-04-10T08:00"));
        Assert.Equal(["daily snapshot"], ReasonsFor(plan, "2026-04-09T16:00"));
        Assert.Equal(["2026-04-08T16:00", "2026-04-09T16:00", "2026-04-10T08:00", "2026-04-10T16:00"], KeptTimes(plan));
    }

    [Fact]
    public void EqualTimesAreOrderedByIdTheHigherIdCountingAsNewer()
    {
        var t = U("2026-07-01T10:00");
        var snaps = new[] { new RetentionCandidate(7, t, false), new RetentionCandidate(9, t, false), new RetentionCandidate(8, t, false) };
        var plan = RetentionPlan.Make(RetentionPolicy.Parse("--keep-last 1"), snaps, Utc, Now);
        Assert.Equal([9L, 8L, 7L], plan.Decisions.Select(d => d.Snapshot.Id));
        Assert.Equal([9L], plan.Kept.Select(d => d.Snapshot.Id));
        // The same for a period rule: the higher id is the newest of the hour; the oldest (id 7) kept while count is left.
        var hourly = RetentionPlan.Make(RetentionPolicy.Parse("--keep-hourly 2"), snaps, Utc, Now);
        Assert.Equal([9L, 7L], hourly.Kept.Select(d => d.Snapshot.Id));
    }

    [Fact]
    public void APinnedSnapshotIsAlwaysKeptAndDoesNotChangeWhatTheRulesCount()
    {
        var snaps = Hours.Select(s => s.Time.Minute == 35 || s.Time.Minute == 20 ? s with { Pinned = true } : s).ToList();
        var plan = Plan("--keep-last 2", snaps);
        Assert.Equal(["pinned"], ReasonsFor(plan, "2026-01-05T10:35"));
        Assert.Equal(["pinned", "last snapshot"], ReasonsFor(plan, "2026-01-05T12:20"));
        Assert.Equal(["last snapshot"], ReasonsFor(plan, "2026-01-05T11:50")); // the pin on the newest took no count
        Assert.Equal(["2026-01-05T10:35", "2026-01-05T11:50", "2026-01-05T12:20"], KeptTimes(plan));
    }

    [Fact]
    public void APolicyWithNoRuleKeepsEverySnapshotAndSaysSo()
    {
        var plan = RetentionPlan.Make(RetentionPolicy.None, Hours, Utc, Now);
        Assert.Equal(5, plan.Kept.Count());
        Assert.All(plan.Decisions, d => Assert.Equal([RetentionPlan.NoRuleReason], d.Reasons));
        Assert.Equal("no rule: every snapshot is kept", RetentionPolicy.None.Describe());
        Assert.True(RetentionPolicy.Parse("--keep-last 0 --keep-within 0h").IsEmpty);
    }

    [Fact]
    public void AnyNonEmptyPolicyKeepsTheNewestSnapshot()
    {
        var snaps = Every("2026-01-01T00:00", TimeSpan.FromMinutes(7), 50);
        foreach (var rule in new[] { "--keep-last 1", "--keep-hourly 1", "--keep-daily 1", "--keep-weekly 1", "--keep-monthly 1", "--keep-yearly 1", "--keep-within 1h" })
        {
            var plan = Plan(rule, snaps);
            Assert.True(plan.Decisions[0].Keep, rule);
            Assert.Equal(50L, plan.Decisions[0].Snapshot.Id);
        }
    }

    [Fact]
    public void AnEmptyListGivesAnEmptyPlan() => Assert.Empty(Plan("--keep-last 3", []).Decisions);
}
