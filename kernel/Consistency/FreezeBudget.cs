// Whether the read a journal-driven snapshot is about to do fits in a freeze: an estimate from the changed files'
// count and sizes, at a rate a cold disk manages (100 MiB/s, half a millisecond per file for the opens, stats and the
// store's writes), against half the freeze limit, so that a slower disk than assumed still thaws by itself rather
// than at the watchdog. A file read by ranges counts its whole size: the estimate errs towards not freezing.
namespace TimeTravel.Kernel.Consistency;

public static class FreezeBudget
{
    public const double BytesPerSecond = 100.0 * 1024 * 1024;
    public const double SecondsPerFile = 0.0005;

    public static TimeSpan Estimate(long files, long bytes) => TimeSpan.FromSeconds(files * SecondsPerFile + bytes / BytesPerSecond);

    public static bool Fits(long files, long bytes, TimeSpan limit) => Estimate(files, bytes) <= limit / 2;
}
