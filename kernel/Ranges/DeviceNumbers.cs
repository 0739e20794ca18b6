// Device numbers in the two encodings that meet here: the kernel's internal dev_t (s_dev: major << 20 | minor), which
// the BPF programs record, and glibc's st_dev (major in bits 8-19 and 44-63, minor in bits 0-7 and 20-43).
namespace TimeTravel.Kernel.Ranges;

internal static class DeviceNumbers
{
    private const int KernelMinorBits = 20;
    private const ulong KernelMinorMask = (1UL << KernelMinorBits) - 1;

    /// <summary>The st_dev of the device the kernel calls <paramref name="kernelDevice"/>.</summary>
    public static ulong FromKernel(ulong kernelDevice) =>
        Make(kernelDevice >> KernelMinorBits, kernelDevice & KernelMinorMask);

    /// <summary>The kernel's s_dev for <paramref name="statDevice"/>; throws when the numbers do not fit its 12 + 20 bits.</summary>
    public static ulong ToKernel(ulong statDevice)
    {
        ulong major = ((statDevice >> 32) & 0xfffff000) | ((statDevice >> 8) & 0xfff);
        ulong minor = ((statDevice >> 12) & 0xffffff00) | (statDevice & 0xff);
        if (major >= 1UL << 12 || minor > KernelMinorMask)
            throw new ArgumentOutOfRangeException(nameof(statDevice), statDevice, $"device {major}:{minor} does not fit a kernel dev_t");
        return major << KernelMinorBits | minor;
    }

    // glibc's gnu_dev_makedev.
    private static ulong Make(ulong major, ulong minor) =>
        ((major & 0xfff) << 8) | ((major & 0xfffff000) << 32) | (minor & 0xff) | ((minor & 0xffffff00) << 12);
}
