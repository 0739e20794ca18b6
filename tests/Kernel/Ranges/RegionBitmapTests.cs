// Region entries back to byte ranges, with no kernel: the layout's granules per level and the merging of ranges.
using TimeTravel.Kernel.Ranges;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Kernel.Ranges;

public sealed class RegionBitmapTests
{
    private static ulong[] Bits(params int[] set)
    {
        var words = new ulong[8];
        foreach (var b in set) words[b / 64] |= 1UL << (b % 64);
        return words;
    }

    [Fact]
    public void ARunOfLevelZeroBitsIsOneRangeOfFourKibGranules()
    {
        var ranges = RegionBitmap.Ranges(RegionBitmap.Index(0, 3), Bits(63, 64, 65)).ToList();
        long regionStart = 3L * 512 * 4096;
        Assert.Equal([new ByteRange(regionStart + 63 * 4096, 3 * 4096)], ranges);
    }

    [Fact]
    public void ALevelTwoBitIsOneMebibyte()
    {
        var ranges = RegionBitmap.Ranges(RegionBitmap.Index(2, 1), Bits(0, 511)).ToList();
        long regionStart = 512L << 20;
        Assert.Equal([new ByteRange(regionStart, 1 << 20), new ByteRange(regionStart + (511L << 20), 1 << 20)], ranges);
    }

    [Fact]
    public void ALevelTheLayoutDoesNotHaveIsRefused() =>
        Assert.Throws<InvalidDataException>(() => RegionBitmap.Ranges(RegionBitmap.Index(4, 0), Bits(1)).ToList());

    [Fact]
    public void MergeJoinsOverlappingAndTouchingRangesInOrder()
    {
        var merged = RegionBitmap.Merge([new ByteRange(8192, 4096), new ByteRange(0, 4096), new ByteRange(4096, 100), new ByteRange(10000, 10)]);
        Assert.Equal([new ByteRange(0, 4196), new ByteRange(8192, 4096)], merged);
    }

    [Fact]
    public void KernelDeviceNumbersBecomeStatDeviceNumbers()
    {
        Assert.Equal(0x0703UL, DeviceNumbers.FromKernel(7UL << 20 | 3));            // loop3: makedev(7, 3)
        Assert.Equal(0x10300000UL + 0x100, DeviceNumbers.FromKernel(1UL << 20 | 0x10300)); // minor above 255
        Assert.Equal(7UL << 20 | 3, DeviceNumbers.ToKernel(0x0703));
        Assert.Equal(259UL << 20 | 70000, DeviceNumbers.ToKernel(DeviceNumbers.FromKernel(259UL << 20 | 70000)));
    }
}
