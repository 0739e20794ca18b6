// Turns region entries (level, region number, 512 granule bits) back into byte ranges, and merges ranges. Pure: the
// layout constants are those of the BPF program (RangeMapLayout); a level L granule is 4 KiB << 4L.
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Trees;

namespace TimeTravel.Kernel.Ranges;

internal static class RegionBitmap
{
    public static int Level(ulong index) => (int)(index >> RangeMapLayout.LevelShiftInIndex);

    public static ulong Number(ulong index) => index & ((1UL << RangeMapLayout.LevelShiftInIndex) - 1);

    public static ulong Index(int level, ulong number) => (ulong)level << RangeMapLayout.LevelShiftInIndex | number;

    public static int GranuleShift(int level) => RangeMapLayout.GranuleShift0 + RangeMapLayout.LevelShiftStep * level;

    /// <summary>The byte ranges of the runs of set bits in one region entry; throws on a level the layout does not have.</summary>
    public static IEnumerable<ByteRange> Ranges(ulong index, ReadOnlySpan<ulong> words)
    {
        int level = Level(index);
        if (level > RangeMapLayout.MaxLevel)
            throw new InvalidDataException($"range tracker region index {index:x} has level {level}; the layout has 0..{RangeMapLayout.MaxLevel}");
        if (words.Length != RangeMapLayout.RegionWords)
            throw new ArgumentException($"a region has {RangeMapLayout.RegionWords} words, not {words.Length}", nameof(words));
        int shift = GranuleShift(level);
        var result = new List<ByteRange>();
        int bit = 0;
        while (bit < RangeMapLayout.BitsPerRegion)
        {
            if (!IsSet(words, bit)) { bit++; continue; }
            int start = bit;
            while (bit < RangeMapLayout.BitsPerRegion && IsSet(words, bit)) bit++;
            result.Add(Span(Number(index) * RangeMapLayout.BitsPerRegion + (ulong)start, (ulong)(bit - start), shift));
        }
        return result;
    }

    /// <summary>Sorted, with overlapping and touching ranges joined.</summary>
    public static List<ByteRange> Merge(IEnumerable<ByteRange> ranges)
    {
        var merged = new List<ByteRange>();
        foreach (var r in ranges.Where(r => r.Length > 0).OrderBy(r => r.Offset))
        {
            if (merged.Count > 0 && r.Offset <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { Length = Math.Max(last.End, r.End) - last.Offset };
            }
            else merged.Add(r);
        }
        return merged;
    }

    private static bool IsSet(ReadOnlySpan<ulong> words, int bit) => (words[bit >> 6] & (1UL << (bit & 63))) != 0;

    // Granules [first, first + count) at this shift, clamped to what a file offset can be.
    private static ByteRange Span(ulong first, ulong count, int shift)
    {
        const ulong max = long.MaxValue;
        ulong start = first > max >> shift ? max : first << shift;
        ulong end = first + count > max >> shift ? max : (first + count) << shift;
        return new ByteRange((long)start, (long)(end - start));
    }
}
