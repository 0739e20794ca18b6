// What one Read of the range maps found: per file, the changed ranges of every closed epoch up to UpToEpoch, and
// the exact entries read, so that Consume deletes those and nothing recorded after them.
using TimeTravel.Kernel.Interop;

namespace TimeTravel.Kernel.Ranges;

public sealed class RangeDrain
{
    internal RangeDrain(ulong upToEpoch, IReadOnlyDictionary<InodeKey, FileRanges> files,
        List<(FileKey Key, FileValue Value)> fileEntries, List<(RegionKey Key, RegionBits Bits)> regionEntries)
    {
        UpToEpoch = upToEpoch;
        Files = files;
        FileEntries = fileEntries;
        RegionEntries = regionEntries;
    }

    /// <summary>The newest epoch read (entries of epochs up to it).</summary>
    public ulong UpToEpoch { get; }

    public IReadOnlyDictionary<InodeKey, FileRanges> Files { get; }

    /// <summary>How many map entries this drain read (files and regions), for statistics and tests.</summary>
    public int EntryCount => FileEntries.Count + RegionEntries.Count;

    internal List<(FileKey Key, FileValue Value)> FileEntries { get; }
    internal List<(RegionKey Key, RegionBits Bits)> RegionEntries { get; }
}
