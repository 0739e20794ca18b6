// The calendar period a snapshot falls in, for the hourly, daily, weekly, monthly and yearly rules: computed on its
// local time in the store's zone, so a day is the local calendar day (23 or 25 hours on DST days), a week the ISO
// week (Monday first; 31 December can be week 1 of the next year, 1 January week 53 of the last), a month and a
// year the local ones. Each key identifies one period; two snapshots share a bucket exactly when their keys are equal.
using System.Globalization;

namespace TimeTravel.Store.Retention;

public static class CalendarBuckets
{
    /// <summary>
    /// The local hour as the instant it began. restic keys hours by the wall clock (YYYYMMDDHH), which lumps the two
    /// 02:00-03:00 hours of a fall-back night into one bucket; here they are two, since each is an hour of its own.
    /// </summary>
    public static long Hour(DateTimeOffset time, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        return local.AddTicks(-(local.Ticks % TimeSpan.TicksPerHour)).UtcTicks;
    }

    public static long Day(DateTimeOffset time, TimeZoneInfo zone)
    {
        var d = TimeZoneInfo.ConvertTime(time, zone);
        return d.Year * 10000L + d.Month * 100 + d.Day;
    }

    public static long Week(DateTimeOffset time, TimeZoneInfo zone)
    {
        var d = TimeZoneInfo.ConvertTime(time, zone).DateTime;
        return ISOWeek.GetYear(d) * 100L + ISOWeek.GetWeekOfYear(d);
    }

    public static long Month(DateTimeOffset time, TimeZoneInfo zone)
    {
        var d = TimeZoneInfo.ConvertTime(time, zone);
        return d.Year * 100L + d.Month;
    }

    public static long Year(DateTimeOffset time, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(time, zone).Year;
}
