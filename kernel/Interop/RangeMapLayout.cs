// The range tracker's map keys and values, byte for byte as kernel/Bpf/range-tracker.bpf.c declares them
// (docs/format.md, "Range tracker maps"). A change here is a change of RangeMapLayout.Version and of the C source.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TimeTravel.Kernel.Interop;

internal static class RangeMapLayout
{
    /// <summary>Written into tt_state.layout by the tracker; a reader refuses maps of another layout.</summary>
    public const ulong Version = 1;

    public const string StateMap = "tt_state", FilesMap = "tt_files", RegionsMap = "tt_regions";
    public static readonly string[] Maps = [StateMap, FilesMap, RegionsMap];

    // tt_state words (ARRAY[1], BPF_F_MMAPABLE): offsets in u64 words.
    public const int EpochWord = 0;     // bytes 0-7
    public const int SessionWord = 1;   // bytes 8-15
    public const int LostWord = 2;      // bytes 16-23
    public const int LayoutWord = 3;    // bytes 24-31
    public const int StateWords = 4;

    public const uint FileRescan = 1;
    public const int GranuleShift0 = 12, LevelShiftStep = 4, MaxLevel = 3, BitsPerRegion = 512, RegionWords = 8;
    public const int LevelShiftInIndex = 56;
}

// struct tt_file_key { u64 dev; u64 ino; u32 gen; u32 epoch; };   /* 24 bytes */
[StructLayout(LayoutKind.Sequential)]
internal struct FileKey
{
    public ulong Dev;          // 0-7: the kernel's s_dev (major << 20 | minor)
    public ulong Ino;          // 8-15
    public uint Gen;           // 16-19
    public uint Epoch;         // 20-23
}

// struct tt_file_value { u64 min_size; u32 flags; u32 level; u64 regions; };   /* 24 bytes */
[StructLayout(LayoutKind.Sequential)]
internal struct FileValue
{
    public ulong MinSize;      // 0-7: U64_MAX when the file never shrank
    public uint Flags;         // 8-11: FileRescan
    public uint Level;         // 12-15
    public ulong Regions;      // 16-23
}

// struct tt_region_key { u64 dev; u64 ino; u32 gen; u32 epoch; u64 index; };   /* 32 bytes */
[StructLayout(LayoutKind.Sequential)]
internal struct RegionKey
{
    public ulong Dev;          // 0-7
    public ulong Ino;          // 8-15
    public uint Gen;           // 16-19
    public uint Epoch;         // 20-23
    public ulong Index;        // 24-31: level << 56 | region number
}

// struct tt_region_value { u64 bits[8]; };   /* 64 bytes */
[InlineArray(RangeMapLayout.RegionWords)]
internal struct RegionBits
{
    private ulong _word;
}
