// The periods of the count rules at their edges, in the store's zone: a minute before and at midnight, the year's
// end, ISO weeks 53 and 1, month ends, and both days of a DST change in Europe/Berlin (25 and 23 hours long, the
// repeated hour counting as two hours); and --keep-within's calendar day across a DST change.
using Xunit;
using static TimeTravel.Tests.Store.Retention.RetentionPlanSupport;

namespace TimeTravel.Tests.Store.Retention;

public class RetentionCalendarTests
{
    [Fact]
    public void MidnightStartsANewDayInTheStoresZoneNotInUtc()
    {
        // 22:30Z, 22:59Z and 23:00Z on 1 January are 23:30, 23:59 and 00:00 (2 January) in Berlin (+01:00).
        var snaps = Taken("2026-01-01T22:30", "2026-01-01T22:59", "2026-01-01T23:00");
        Assert.Equal(["2026-01-01T22:59", "2026-01-01T23:00"], KeptTimes(Plan("--keep-daily 2", snaps, Berlin)));
        Assert.Equal(["2026-01-01T23:00"], KeptTimes(Plan("--keep-daily 1", snaps, Berlin)));
        // In UTC they are one day: the newest, and the oldest while count is left.
        var utc = Plan("--keep-daily 2", snaps, Utc);
        Assert.Equal(["2026-01-01T22:30", "2026-01-01T23:00"], KeptTimes(utc));
        Assert.Equal(["oldest daily snapshot"], ReasonsFor(utc, "2026-01-01T22:30"));
    }

    [Fact]
    public void TheYearEndsAtLocalMidnightOfThe31stOfDecember()
    {
        // Berlin: 23:00 and 23:59 on 31 December 2026, then 00:00 and 00:30 of 2027.
        var snaps = Taken("2026-12-31T22:00", "2026-12-31T22:59", "2026-12-31T23:00", "2026-12-31T23:30");
        Assert.Equal(["2026-12-31T22:59", "2026-12-31T23:30"], KeptTimes(Plan("--keep-yearly 2", snaps, Berlin)));
        Assert.Equal(["2026-12-31T22:59", "2026-12-31T23:30"], KeptTimes(Plan("--keep-monthly 2", snaps, Berlin)));
        Assert.Equal(["2026-12-31T23:30"], KeptTimes(Plan("--keep-yearly 1", snaps, Berlin)));
        // In UTC all four are in 2026: the newest, and the oldest while count is left.
        Assert.Equal(["2026-12-31T22:00", "2026-12-31T23:30"], KeptTimes(Plan("--keep-yearly 2", snaps, Utc)));
    }

    [Fact]
    public void IsoWeeksCrossTheYearWeek53AndWeek1()
    {
        // 2026 has an ISO week 53: Monday 28 December 2026 to Sunday 3 January 2027; week 1 of 2027 starts Monday 4 January.
        var snaps = Taken("2026-12-27T12:00", "2026-12-28T12:00", "2027-01-01T12:00", "2027-01-03T12:00", "2027-01-04T12:00");
        Assert.Equal(["2027-01-03T12:00", "2027-01-04T12:00"], KeptTimes(Plan("--keep-weekly 2", snaps)));
        Assert.Equal(["2026-12-27T12:00", "2027-01-03T12:00", "2027-01-04T12:00"], KeptTimes(Plan("--keep-weekly 3", snaps)));
        // And week 1 of 2026 began on Monday 29 December 2025: 28 December 2025 is in week 52 of 2025.
        var start = Taken("2025-12-28T12:00", "2025-12-29T12:00", "2026-01-01T12:00");
        Assert.Equal(["2025-12-28T12:00", "2026-01-01T12:00"], KeptTimes(Plan("--keep-weekly 2", start)));
        // A Sunday evening in UTC can be Monday in the store's zone, a week later.
        var sunday = Taken("2027-01-10T22:30", "2027-01-10T23:30"); // Berlin: Sunday 23:30, Monday 00:30
        Assert.Equal(2, Plan("--keep-weekly 2", sunday, Berlin).Kept.Count());
        Assert.Single(Plan("--keep-weekly 1", sunday, Berlin).Kept);
    }

    [Fact]
    public void MonthsEndAtTheLastDayIncludingFebruary()
    {
        var snaps = Taken("2026-01-31T22:59", "2026-01-31T23:00", "2026-02-28T22:59", "2026-02-28T23:00"); // Berlin: 31 Jan 23:59, 1 Feb 00:00, 28 Feb 23:59, 1 Mar 00:00
        Assert.Equal(["2026-01-31T22:59", "2026-02-28T22:59", "2026-02-28T23:00"], KeptTimes(Plan("--keep-monthly 3", snaps, Berlin)));
        Assert.Equal(["2026-01-31T23:00", "2026-02-28T23:00"], KeptTimes(Plan("--keep-monthly 2", snaps, Utc)));
    }

    [Fact]
    public void TheRepeatedHourOfAFallBackNightIsTwoHourlyBuckets()
    {
        // Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00-03:00 local is 00:00-01:00Z and again 01:00-02:00Z.
        var snaps = Every("2026-10-24T23:15", TimeSpan.FromMinutes(30), 8); // 23:15Z .. 02:45Z
        var plan = Plan("--keep-hourly -1", snaps, Berlin);
        Assert.Equal(["2026-10-24T23:45", "2026-10-25T00:45", "2026-10-25T01:45", "2026-10-25T02:45"], KeptTimes(plan).Where(t => t != "2026-10-24T23:15"));
        // 02:45 CEST and 02:45 CET are both kept, each the newest of its own hour.
        Assert.Equal(["hourly snapshot"], ReasonsFor(plan, "2026-10-25T00:45"));
        Assert.Equal(["hourly snapshot"], ReasonsFor(plan, "2026-10-25T01:45"));
        Assert.Equal(4, Plan("--keep-hourly 4", snaps, Berlin).Kept.Count());
    }

    [Fact]
    public void TheFallBackDayHas25HoursAndIsOneDailyBucket()
    {
        // Berlin 25 October 2026 runs from 24 Oct 22:00Z to 25 Oct 23:00Z.
        var snaps = Taken("2026-10-24T21:59", "2026-10-24T22:00", "2026-10-25T22:59", "2026-10-25T23:00");
        var plan = Plan("--keep-daily -1", snaps, Berlin);
        Assert.Equal(["2026-10-24T21:59", "2026-10-25T22:59", "2026-10-25T23:00"], KeptTimes(plan));
        Assert.Empty(ReasonsFor(plan, "2026-10-24T22:00")); // 00:00 of the 25th: 22:59Z, 25 hours later, is the same day
    }

    [Fact]
    public void TheSpringForwardDayHas23HoursAndIsOneDailyBucket()
    {
        // Berlin 29 March 2026 (02:00 CET becomes 03:00 CEST) runs from 28 Mar 23:00Z to 29 Mar 22:00Z.
        var snaps = Taken("2026-03-28T22:59", "2026-03-28T23:00", "2026-03-29T00:30", "2026-03-29T01:30", "2026-03-29T21:59", "2026-03-29T22:00");
        var plan = Plan("--keep-daily -1", snaps, Berlin);
        Assert.Equal(["2026-03-28T22:59", "2026-03-29T21:59", "2026-03-29T22:00"], KeptTimes(plan));
        // 01:30 CET and 03:30 CEST (an hour apart, the hour between skipped) are two hours.
        Assert.Equal(2, Plan("--keep-hourly 2", Taken("2026-03-29T00:30", "2026-03-29T01:30"), Berlin).Kept.Count());
    }

    [Fact]
    public void KeepWithinADayIsACalendarDayOf25HoursAcrossFallBack()
    {
        // Newest: 25 Oct 12:00 CET (11:00Z). A day before is 24 Oct 12:00 CEST (10:00Z): 25 hours earlier.
        var snaps = Taken("2026-10-24T09:59", "2026-10-24T10:00", "2026-10-24T10:30", "2026-10-25T11:00");
        Assert.Equal(["2026-10-24T10:30", "2026-10-25T11:00"], KeptTimes(Plan("--keep-within 1d", snaps, Berlin)));
        Assert.Equal(["2026-10-25T11:00"], KeptTimes(Plan("--keep-within 24h", snaps, Berlin)));
        // In UTC a day is 24 hours: the cutoff is 24 Oct 11:00Z.
        Assert.Equal(["2026-10-25T11:00"], KeptTimes(Plan("--keep-within 1d", snaps, Utc)));
    }
}
