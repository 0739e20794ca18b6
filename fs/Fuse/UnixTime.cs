// A POSIX timestamp (struct timespec) as the kernel sees it: seconds and nanoseconds since 1970 UTC.
namespace TimeTravel.Fs.Fuse;

public readonly record struct UnixTime(long Seconds, long Nanoseconds)
{
    public static UnixTime FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0) { seconds--; rest += TimeSpan.TicksPerSecond; } // keep nanoseconds in [0, 1e9) before 1970
        return new UnixTime(seconds, rest * 100);
    }

    public static UnixTime FromNanoseconds(long nanosecondsSinceEpoch)
    {
        long seconds = Math.DivRem(nanosecondsSinceEpoch, 1_000_000_000L, out long rest);
        if (rest < 0) { seconds--; rest += 1_000_000_000L; }
        return new UnixTime(seconds, rest);
    }
}
