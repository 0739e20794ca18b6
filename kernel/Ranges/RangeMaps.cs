// A snapshot's view of the range tracker's pinned maps. The protocol (see kernel/README.md): Flip closes the open
// epoch (new writes go to the next one) and waits until no program still holds the closed one; the snapshot then
// flushes the files it will read (so a later mmap store dirties a folio again and is seen), Reads every entry of
// the closed epochs, takes the snapshot, and Consumes exactly the entries it read once the snapshot is committed.
// An uncommitted snapshot simply does not Consume: the next one reads the same entries again, ORed with newer ones.
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Trees;

namespace TimeTravel.Kernel.Ranges;

public sealed class RangeMaps : IDisposable
{
    private const int MergeTries = 8;
    private readonly BpfMap _files;
    private readonly BpfMap _regions;
    private readonly MappedWords _state;
    private readonly BpfMap _stateMap;

    private RangeMaps(BpfMap stateMap, MappedWords state, BpfMap files, BpfMap regions)
    {
        _stateMap = stateMap;
        _state = state;
        _files = files;
        _regions = regions;
    }

    /// <summary>The tracker session that has been recording (0: none since the last clean stop).</summary>
    public ulong Session => _state.Read(RangeMapLayout.SessionWord);

    /// <summary>The open epoch: programs record into it now.</summary>
    public ulong Epoch => _state.Read(RangeMapLayout.EpochWord);

    /// <summary>Changes the programs could not record at all (files map full); any growth makes the interval untrusted.</summary>
    public ulong Lost => _state.Read(RangeMapLayout.LostWord);

    /// <summary>Opens the maps pinned under <paramref name="pinDirectory"/>; null and the reason when there are
    /// none (never started here, or the machine rebooted) or they cannot be used.</summary>
    public static RangeMaps? TryOpen(string pinDirectory, out string? why)
    {
        var pins = new RangePins(Path.GetFullPath(pinDirectory));
        var opened = new List<IDisposable>();
        try
        {
            BpfMap? Open(string name, out string? failure)
            {
                var map = BpfMap.OpenPinned(pins.Map(name), out int errno);
                failure = map is null
                    ? errno == Errno.ENOENT
                        ? $"no range tracker maps are pinned at {pins.Directory} (the tracker never ran, or the machine restarted)"
                        : $"cannot open the pinned map {pins.Map(name)}: {Errno.Describe(errno)}"
                    : null;
                if (map is not null) opened.Add(map);
                return map;
            }
            var stateMap = Open(RangeMapLayout.StateMap, out why);
            if (stateMap is null) return Fail();
            var files = Open(RangeMapLayout.FilesMap, out why);
            if (files is null) return Fail();
            var regions = Open(RangeMapLayout.RegionsMap, out why);
            if (regions is null) return Fail();
            var state = MappedWords.Map(stateMap.Descriptor, RangeMapLayout.StateWords, out int errno);
            if (state is null)
            {
                why = $"cannot map {pins.Map(RangeMapLayout.StateMap)}: {Errno.Describe(errno)}";
                return Fail();
            }
            opened.Add(state);
            ulong layout = state.Read(RangeMapLayout.LayoutWord);
            if (layout != RangeMapLayout.Version)
            {
                why = $"the maps at {pins.Directory} have layout {layout}, this reader knows {RangeMapLayout.Version}";
                return Fail();
            }
            why = null;
            return new RangeMaps(stateMap, state, files, regions);
        }
        catch
        {
            Fail();
            throw;
        }

        RangeMaps? Fail()
        {
            foreach (var d in opened) d.Dispose();
            return null;
        }
    }

    /// <summary>Closes the open epoch and returns it: every entry of an epoch up to it belongs to this snapshot.
    /// Returns after every program that read the old epoch has finished (an RCU grace period).</summary>
    public ulong Flip()
    {
        ulong closed = _state.Increment(RangeMapLayout.EpochWord) - 1;
        // Without membarrier (seccomp, nohz_full), a program could still be adding to the closed epoch; Consume
        // keeps whatever changed after it was read, so the wait is a refinement, not what correctness rests on.
        if (RcuGracePeriod.Wait() != 0) Thread.Sleep(20);
        return closed;
    }

    /// <summary>Every file with entries of epochs up to <paramref name="upToEpoch"/>, all its levels and epochs ORed.</summary>
    public RangeDrain Read(ulong upToEpoch)
    {
        uint upTo = (uint)Math.Min(upToEpoch, uint.MaxValue);   // keys hold the epoch's low 32 bits
        var fileEntries = new List<(FileKey, FileValue)>();
        var regionEntries = new List<(RegionKey, RegionBits)>();
        var minSize = new Dictionary<InodeKey, long>();
        var rescan = new HashSet<InodeKey>();
        var ranges = new Dictionary<InodeKey, List<ByteRange>>();

        foreach (var key in Keys<FileKey>(_files))
        {
            if (key.Epoch > upTo || !_files.TryLookup(key, out FileValue value)) continue;
            fileEntries.Add((key, value));
            var inode = ToInodeKey(key.Dev, key.Ino, key.Gen);
            long size = value.MinSize > long.MaxValue ? long.MaxValue : (long)value.MinSize;
            minSize[inode] = Math.Min(size, minSize.GetValueOrDefault(inode, long.MaxValue));
            if ((value.Flags & RangeMapLayout.FileRescan) != 0) rescan.Add(inode);
            ranges.TryAdd(inode, []);
        }
        foreach (var key in Keys<RegionKey>(_regions))
        {
            if (key.Epoch > upTo || !_regions.TryLookup(key, out RegionBits bits)) continue;
            regionEntries.Add((key, bits));
            var inode = ToInodeKey(key.Dev, key.Ino, key.Gen);
            if (!ranges.TryGetValue(inode, out var list)) ranges[inode] = list = [];
            list.AddRange(RegionBitmap.Ranges(key.Index, bits));
        }

        var files = ranges.ToDictionary(
            f => f.Key,
            f => new FileRanges(RegionBitmap.Merge(f.Value), minSize.GetValueOrDefault(f.Key, long.MaxValue), rescan.Contains(f.Key)));
        return new RangeDrain(upToEpoch, files, fileEntries, regionEntries);
    }

    /// <summary>Deletes the entries <paramref name="drain"/> read; an entry that changed since (a program still in
    /// the closed epoch) is put back with its new value, so the next snapshot reads it.</summary>
    /// <param name="take">Which files' entries to delete (null: all); the others stay for a later snapshot.</param>
    public void Consume(RangeDrain drain, Func<InodeKey, bool>? take = null)
    {
        foreach (var (key, read) in drain.FileEntries)
        {
            if (take is not null && !take(ToInodeKey(key.Dev, key.Ino, key.Gen))) continue;
            if (!_files.TryLookupAndDelete(key, out FileValue now) || SameFile(now, read)) continue;
            PutBack(_files, key, now, MergeFiles);
        }
        foreach (var (key, read) in drain.RegionEntries)
        {
            if (take is not null && !take(ToInodeKey(key.Dev, key.Ino, key.Gen))) continue;
            if (!_regions.TryLookupAndDelete(key, out RegionBits now) || SameBits(now, read)) continue;
            PutBack(_regions, key, now, MergeBits);
        }
    }

    /// <summary>Removes the maps and links pinned under <paramref name="pinDirectory"/> (tests, uninstall): any
    /// tracker still running there keeps recording into maps nobody can open again.</summary>
    public static void DeletePins(string pinDirectory) => new RangePins(Path.GetFullPath(pinDirectory)).Delete();

    // A program may have created the key again meanwhile: take its value out, merge, try again; a value that cannot
    // be put back is a lost change, counted so the next snapshot distrusts the interval.
    private void PutBack<TKey, TValue>(BpfMap map, TKey key, TValue value, Func<TValue, TValue, TValue> merge)
        where TKey : unmanaged where TValue : unmanaged
    {
        for (int i = 0; i < MergeTries; i++)
        {
            int errno = map.Update(key, value, Libbpf.BPF_NOEXIST);
            if (errno == 0) return;
            if (errno != Errno.EEXIST) break;
            if (map.TryLookupAndDelete(key, out TValue other)) value = merge(value, other);
        }
        _state.Increment(RangeMapLayout.LostWord);
    }

    private static IEnumerable<TKey> Keys<TKey>(BpfMap map) where TKey : unmanaged
    {
        TKey? previous = null;
        while (map.TryNextKey(previous, out TKey next))
        {
            yield return next;
            previous = next;
        }
    }

    private static InodeKey ToInodeKey(ulong kernelDevice, ulong inode, uint generation) =>
        new(DeviceNumbers.FromKernel(kernelDevice), inode, generation);

    private static bool SameFile(FileValue a, FileValue b) =>
        a.MinSize == b.MinSize && a.Flags == b.Flags && a.Level == b.Level && a.Regions == b.Regions;

    private static FileValue MergeFiles(FileValue a, FileValue b) => new()
    {
        MinSize = Math.Min(a.MinSize, b.MinSize), Flags = a.Flags | b.Flags,
        Level = Math.Max(a.Level, b.Level), Regions = a.Regions + b.Regions,
    };

    private static bool SameBits(RegionBits a, RegionBits b) =>
        ((ReadOnlySpan<ulong>)a).SequenceEqual((ReadOnlySpan<ulong>)b);

    private static RegionBits MergeBits(RegionBits a, RegionBits b)
    {
        var merged = new RegionBits();
        for (int i = 0; i < RangeMapLayout.RegionWords; i++) merged[i] = a[i] | b[i];
        return merged;
    }

    public void Dispose()
    {
        _state.Dispose();
        _stateMap.Dispose();
        _files.Dispose();
        _regions.Dispose();
    }
}
