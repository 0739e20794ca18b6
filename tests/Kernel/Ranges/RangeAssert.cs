// What the range tests check of a tracker's answer: the written bytes are covered (a superset), and the answer is
// not wildly more: nothing outside the written bytes widened to the largest folio (2 MiB) on each side.
using TimeTravel.Kernel.Ranges;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

internal static class RangeAssert
{
    public const long LargestFolio = 2L << 20;

    public static void Covers(FileRanges? found, long offset, long length)
    {
        Assert.NotNull(found);
        Assert.False(found.Rescan, "the file was marked for a whole read");
        long end = offset + length;
        long at = offset;
        foreach (var r in found.Ranges.Where(r => r.End > offset && r.Offset < end))
        {
            Assert.True(r.Offset <= at, $"bytes {at}..{r.Offset} were written but are in no range ({Describe(found.Ranges)})");
            at = Math.Max(at, r.End);
        }
        Assert.True(at >= end, $"bytes {at}..{end} were written but are in no range ({Describe(found.Ranges)})");
    }

    public static void WithinFolios(FileRanges found, params (long Offset, long Length)[] written)
    {
        foreach (var r in found.Ranges)
            Assert.True(written.Any(w => r.Offset >= Down(w.Offset) && r.End <= Up(w.Offset + w.Length)),
                $"range {r.Offset}+{r.Length} is further than a folio from anything written ({Describe(found.Ranges)})");
    }

    private static long Down(long x) => x / LargestFolio * LargestFolio;
    private static long Up(long x) => (x + LargestFolio - 1) / LargestFolio * LargestFolio;

    public static string Describe(IEnumerable<ByteRange> ranges) => string.Join(", ", ranges.Select(r => $"{r.Offset}+{r.Length}"));
}
