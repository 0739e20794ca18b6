// A snapshot's side of changed-range tracking (kernel/Ranges, eBPF). The protocol, in this order:
//  1. Open the tracker's pinned maps and close the current epoch (Flip): writes from now on land in the next one.
//  2. Read every file with entries up to that epoch, and for each on a source's filesystem open it by inode,
//     write its dirty pages back (sync_file_range) and find its path. Writeback write-protects the pages of shared
//     mappings, so the next store faults and is recorded again (a store to a page already dirty raises nothing);
//     a write between 1 and 2 is read by the snapshot anyway. The paths found are files the journal does not name:
//     on ext4 the tracker journals no writes, only closes after writing (FAN_CLOSE_WRITE), so a file still open for
//     writing (or mapped) is found here. Its open file pins its name, so the name can always be found; a file whose
//     name cannot (its dentry was evicted) that nobody holds open for writing was closed, and its close is journaled:
//     its entries are kept until a snapshot reads it by that path. One still open for writing with no name (opened
//     by handle, as knfsd does) makes its source walk.
//  3. The snapshot reads changed files by their ranges (IChangedRangeSource) when the record is continuous: the same
//     tracker session as when the previous snapshot consumed it, consumed by that very snapshot, and nothing lost to
//     full maps since. Otherwise changed files are read whole, and the reason says why.
//  4. After the snapshot commits: delete what was read (Consume) and record the position (RangeState). A snapshot
//     that fails leaves both, so the next one reads those entries again.
using Microsoft.Win32.SafeHandles;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Ranges;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;

namespace TimeTravel.Kernel.Planning;

public sealed class RangeTracking : IChangedRangeSource, IDisposable
{
    private readonly RangeMaps _maps;
    private readonly RangeDrain _drain;
    private readonly ulong _epoch, _lost;
    private readonly HashSet<ulong> _devices;
    private readonly string _journalDirectory;
    private readonly HashSet<InodeKey> _unnamed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<InodeKey, byte> _lookedUp = new();

    /// <summary>
    /// True when the record covers the whole interval since the previous snapshot: changed files may be read by their
    /// ranges, and the written files found are all there are (the journal may have left writes to this record).
    /// </summary>
    public bool Continuous { get; }

    /// <summary>Why the record does not cover the interval (for the snapshot's reason); null when <see cref="Continuous"/>.</summary>
    public string? WhyNot { get; }

    /// <summary>The tracker session the record belongs to.</summary>
    public ulong Session => _maps.Session;

    /// <summary>Why this record cannot stand for the writes the journal left to range session <paramref name="rangeSession"/>; null when it can.</summary>
    public string? ProblemFor(ulong rangeSession) =>
        rangeSession != Session ? "the range tracker that recorded them is not the one running" : WhyNot;

    /// <summary>Files written since the previous snapshot, found by inode (inside the sources or not: the snapshot filters).</summary>
    public IReadOnlyList<byte[]> WrittenPaths { get; }

    /// <summary>Sources that must be walked: a file written on their filesystem has no name that could be found.</summary>
    public IReadOnlyList<(string Source, string Why)> Unresolved { get; }

    private RangeTracking(RangeMaps maps, RangeDrain drain, ulong epoch, ulong lost, HashSet<ulong> devices, string journalDirectory,
        string? whyNot, List<byte[]> written, List<(string, string)> unresolved, HashSet<InodeKey> unnamed)
    {
        _maps = maps; _drain = drain; _epoch = epoch; _lost = lost; _devices = devices; _journalDirectory = journalDirectory;
        _unnamed = unnamed;
        Continuous = whyNot is null; WhyNot = whyNot; WrittenPaths = written; Unresolved = unresolved;
    }

    /// <summary>Steps 1 and 2; null (with why) when no range tracker is running for this journal.</summary>
    /// <param name="previousSnapshotId">The id of the snapshot this one is taken against (0: none).</param>
    public static RangeTracking? Begin(string journalDirectory, string journalId, long previousSnapshotId, IReadOnlyList<string> sources, out string why)
    {
        string pins = RangePins.For(journalId);
        var maps = RangeMaps.TryOpen(pins, out var whyNoMaps);
        if (maps is null)
        {
            why = Directory.Exists(pins) ? $"no range tracker ({whyNoMaps})"
                : "no range tracker runs for this store (`timetravel track --no-ranges`, BPF unavailable, or no tracker)";
            return null;
        }
        try
        {
            if (maps.Session == 0) { why = "the range tracker is not attached (`timetravel track` stopped)"; maps.Dispose(); return null; }
            var state = RangeState.Read(journalDirectory);
            ulong epoch = maps.Flip();
            ulong lost = maps.Lost;
            var drain = maps.Read(epoch);
            string? whyNot =
                state is null ? "the range tracker started after the previous snapshot"
                : state.Session != maps.Session ? "the range tracker restarted since the previous snapshot"
                : state.SnapshotId != previousSnapshotId ? "the previous snapshot did not take the range tracker's record"
                : lost != state.Lost ? $"the range tracker's maps were full ({lost - state.Lost} updates lost)"
                : null;
            var (devices, written, unresolved, unnamed) = Resolve(drain, sources);
            why = whyNot ?? "";
            return new RangeTracking(maps, drain, epoch, lost, devices, journalDirectory, whyNot, written, unresolved, unnamed);
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }

    // Step 2: open each written file on a source's ext4 filesystem by inode, flush it, name it.
    private static (HashSet<ulong>, List<byte[]>, List<(string, string)>, HashSet<InodeKey>) Resolve(RangeDrain drain, IReadOnlyList<string> sources)
    {
        var unnamed = new HashSet<InodeKey>();
        var devices = new HashSet<ulong>();
        var mountFds = new Dictionary<ulong, (FileDescriptor Fd, List<string> Sources)>();
        var written = new List<byte[]>();
        var unresolved = new List<(string, string)>();
        try
        {
            foreach (var source in sources)
            {
                var bytes = PathBytes.From(source);
                if (!PosixFs.TryLStat(bytes, out var st) || st.Kind != FileKind.Directory) continue;
                if (mountFds.TryGetValue(st.Device, out var known)) { known.Sources.Add(source); continue; }
                var fd = FileHandles.OpenDirectory(bytes, out _);
                if (fd is null) continue;
                if (!FileHandles.IsExt4(fd)) { fd.Dispose(); continue; }
                devices.Add(st.Device);
                mountFds[st.Device] = (fd, [source]);
            }
            foreach (var (key, _) in drain.Files)
            {
                if (!mountFds.TryGetValue(key.Device, out var mount)) continue;
                using var fd = InodeHandles.OpenExt4(mount.Fd, key.Inode, key.Generation, out int errno);
                if (fd is null)
                {
                    if (errno is Errno.ESTALE or Errno.ENOENT or Errno.ELOOP) continue; // deleted (its name's removal is journaled), or not a file
                    foreach (var s in mount.Sources) unresolved.Add((s, $"a written file (inode {key.Inode}) cannot be opened: {Errno.Describe(errno)}"));
                    continue;
                }
                if (Libc.fstat(fd.Number, out var st) != 0 || FileKinds.FromMode(st.st_mode) != FileKind.Regular || st.st_nlink == 0) continue;
                int flushed = InodeHandles.Flush(fd);
                if (st.st_nlink > 1)
                {
                    // Its other names may lie in a source, and nothing lists them: as for the journal's hard-link rule.
                    foreach (var s in mount.Sources) unresolved.Add((s, $"a file with {st.st_nlink} links was written (inode {key.Inode})"));
                    continue;
                }
                var path = FileHandles.PathOf(fd, out _);
                bool named = path is not null && PosixFs.TryLStat(path, out var at) && at.Device == key.Device && at.Inode == key.Inode;
                if (flushed == 0 && !named && InodeHandles.NobodyWrites(fd) == true)
                {
                    unnamed.Add(key); // closed since it was written: its close is in the journal (see the top)
                    continue;
                }
                if (flushed != 0 || !named)
                {
                    string why = flushed != 0 ? $"cannot write back a written file (inode {key.Inode}): {Errno.Describe(flushed)}"
                        : $"a file open for writing (inode {key.Inode}) has no name that can be found";
                    foreach (var s in mount.Sources) unresolved.Add((s, why));
                    continue;
                }
                written.Add(path!);
            }
        }
        finally
        {
            foreach (var (fd, _) in mountFds.Values) fd.Dispose();
        }
        return (devices, written, unresolved, unnamed);
    }

    public ChangedRanges? Lookup(SafeFileHandle file, in FileStatus status, byte[] path)
    {
        if (!Continuous || !_devices.Contains(status.Device)) return null;
        var key = new InodeKey(status.Device, status.Inode, FileGeneration.Of(file));
        _lookedUp.TryAdd(key, 0);
        if (!_drain.Files.TryGetValue(key, out var ranges)) return ChangedRanges.None; // the tracker saw no write
        return ranges.Rescan ? null : new ChangedRanges(ranges.Ranges, ranges.MinSize);
    }

    /// <summary>Step 4, once the snapshot with id <paramref name="snapshotId"/> is committed.</summary>
    /// <param name="walked">The snapshot walked every source: it read every changed file whole, so it took everything.</param>
    public void Commit(long snapshotId, bool walked)
    {
        // A written file without a name stays in the record until a snapshot reads it by its journaled path (or walks).
        _maps.Consume(_drain, key => walked || !_unnamed.Contains(key) || _lookedUp.ContainsKey(key));
        new RangeState(_maps.Session, _epoch, snapshotId, _lost).Write(_journalDirectory);
    }

    public void Dispose() => _maps.Dispose();
}
