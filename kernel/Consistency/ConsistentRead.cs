// The one place that decides how consistent a snapshot's read of its sources is, and sets it up (used by
// IncrementalSnapshot, which every command that takes snapshots goes through). With --consistent auto:
//  - a source on btrfs is read from a read-only snapshot of its subvolume (BtrfsCopies): point-in-time, whatever the
//    snapshot's method, at the cost of a btrfs snapshot;
//  - a source on ext4 or xfs is read with its filesystem frozen (FilesystemFreeze), only by a journal-driven snapshot
//    (a walk's length is unbounded), only when the changed files fit the limit (FreezeBudget), and never the store's
//    filesystem, nor the one our output goes to, nor the system's root (freezing it stalls every logger and service);
//  - anything else is read live, and the reason says why.
// The order matters, see IncrementalSnapshot: freeze first, so that the journal cut and the range tracker's flip fall
// inside the frozen interval and name exactly what changed before it.
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Kernel.Consistency;

public sealed class ConsistentRead : IDisposable
{
    private const long Ext4Magic = 0xEF53, XfsMagic = 0x58465342;

    private readonly ConsistencyPolicy _policy;
    private readonly string _storeRoot;
    private readonly Action<string> _report;
    private readonly List<string> _btrfsSources = [];
    private readonly List<(string Source, FilesystemFreeze Freeze)> _frozen = [];
    private readonly List<FilesystemFreeze> _freezes = [];
    private readonly Dictionary<string, string> _guarantees = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private BtrfsCopies? _copies;

    private ConsistentRead(ConsistencyPolicy policy, string storeRoot, Action<string> report)
    {
        _policy = policy;
        _storeRoot = storeRoot;
        _report = report;
    }

    /// <summary>The sources read from a btrfs snapshot (after <see cref="MakeCopies"/>).</summary>
    public IReadOnlyList<SourceView> Views => _copies?.Views ?? [];

    /// <summary>
    /// Freezes what may be frozen. <paramref name="journalPlanned"/>: a journal-driven snapshot is likely (there is a
    /// previous snapshot, no --full, a tracker runs); a walk planned after all thaws at once (see <see cref="Walking"/>).
    /// </summary>
    public static ConsistentRead Begin(string storeRoot, IReadOnlyList<string> sources, ConsistencyPolicy policy, bool journalPlanned, Action<string> report)
    {
        var read = new ConsistentRead(policy, storeRoot, report);
        try
        {
            read.Decide(sources, journalPlanned);
            return read;
        }
        catch
        {
            read.Dispose();
            throw;
        }
    }

    private void Decide(IReadOnlyList<string> sources, bool journalPlanned)
    {
        var byDevice = new Dictionary<ulong, FilesystemFreeze?>();
        var whyNotByDevice = new Dictionary<ulong, string>();
        foreach (var source in sources)
        {
            _order.Add(source);
            if (_policy.Mode == ConsistencyMode.Off) { _guarantees[source] = "not consistent: --consistent off"; continue; }
            if (!PosixFs.TryLStat(PathBytes.From(source), out var st)) { _guarantees[source] = $"not consistent: {source} cannot be read"; continue; }
            string dir = st.Kind == FileKind.Directory ? source : Path.GetDirectoryName(source) ?? "/";
            long? magic = Magic(dir);
            if (magic == LinuxCalls.BTRFS_SUPER_MAGIC) { _btrfsSources.Add(source); continue; }
            if (magic is not (Ext4Magic or XfsMagic))
            {
                _guarantees[source] = $"not consistent: {(magic is null ? "its filesystem is unknown" : $"its filesystem (0x{magic:x}) offers neither a snapshot nor a freeze we use")}";
                continue;
            }
            if (!byDevice.TryGetValue(st.Device, out var freeze) && !whyNotByDevice.ContainsKey(st.Device))
            {
                string? why = WhyNotFreeze(st.Device, journalPlanned);
                if (why is null && (freeze = FilesystemFreeze.Begin(dir, st.Device, _policy.FreezeLimit, out why)) is not null) _freezes.Add(freeze);
                byDevice[st.Device] = freeze;
                if (why is not null) whyNotByDevice[st.Device] = why;
            }
            if (byDevice.GetValueOrDefault(st.Device) is { } f) _frozen.Add((source, f));
            else _guarantees[source] = $"not consistent: not frozen: {whyNotByDevice[st.Device]}";
        }
    }

    // Why the filesystem with this device must not be frozen; null when it may.
    private string? WhyNotFreeze(ulong device, bool journalPlanned)
    {
        if (!journalPlanned) return "only a journal-driven read is frozen (a walk's length is unbounded), and no tracker runs or the snapshot walks";
        if (PosixFs.TryLStat(PathBytes.From(_storeRoot), out var store) && store.Device == device)
            return "the store is on this filesystem";
        if (PosixFs.TryLStat("/"u8.ToArray(), out var root) && root.Device == device)
            return "it is the system's root filesystem (freezing it stalls every service that writes)";
        for (int fd = 0; fd <= 2; fd++)
        {
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false);
            try { if (PosixFs.FStat(handle, PathBytes.From($"/proc/self/fd/{fd}")).Device == device) return "this process's output goes to it"; }
            catch (PosixException) { } // not open
        }
        return null;
    }

    private static long? Magic(string directory)
    {
        try
        {
            using var dir = PosixFs.OpenDirectoryAt(null, PathBytes.From(directory), PathBytes.From(directory));
            return LinuxCalls.FilesystemMagic(dir);
        }
        catch (PosixException) { return null; }
    }

    /// <summary>
    /// Makes the btrfs snapshots. Called after the range tracker's flip: a write after the flip is in the tracker's next
    /// record (read again by the next snapshot), so none the copy lacks is consumed by this one.
    /// </summary>
    public void MakeCopies()
    {
        if (_btrfsSources.Count == 0) return;
        _copies = BtrfsCopies.Make(_btrfsSources, _storeRoot, _report);
        foreach (var (source, g) in _copies.Guarantees) _guarantees[source] = g;
    }

    /// <summary>
    /// A journal-driven read is about to start: keeps a filesystem frozen only when no source on it is walked and its
    /// changed files fit the limit (see FreezeBudget); thaws the others now.
    /// </summary>
    public void KeepFrozenIfWithin(IReadOnlyCollection<byte[]> changed, IReadOnlyCollection<byte[]> subtrees, IReadOnlyCollection<string> walkedSources)
    {
        foreach (var freeze in _frozen.Select(f => f.Freeze).Distinct().ToList())
        {
            string? walked = walkedSources.FirstOrDefault(s => PosixFs.TryLStat(PathBytes.From(s), out var st) && st.Device == freeze.Device);
            if (walked is not null) { ThawBeforeReading(freeze, $"{walked} is walked (its length is unbounded)"); continue; }
            var isSubtree = subtrees.ToHashSet(ByteStringComparer.Instance);
            long files = 0, bytes = 0;
            bool fits = true;
            foreach (var path in changed.Concat(subtrees))
            {
                Count(path, freeze.Device, isSubtree.Contains(path), ref files, ref bytes);
                if (!FreezeBudget.Fits(files, bytes, _policy.FreezeLimit)) { fits = false; break; }
            }
            if (!fits)
                ThawBeforeReading(freeze, $"the changed files ({files}+ files, {bytes / 1048576.0:0.#}+ MiB) would take longer than half the {Seconds(_policy.FreezeLimit)} s freeze limit");
        }
    }

    // Files and bytes to read at `path` (its whole subtree when it is a new one), on the frozen device only.
    private void Count(byte[] path, ulong device, bool subtree, ref long files, ref long bytes)
    {
        if (!PosixFs.TryLStat(path, out var st) || st.Device != device) return;
        files++;
        if (st.Kind == FileKind.Regular) bytes += st.Size;
        if (!subtree || st.Kind != FileKind.Directory) return;
        List<DirectoryEntryName> names;
        try { names = PosixFs.ReadDirectory(path); }
        catch (PosixException) { return; }
        foreach (var n in names)
        {
            Count(PathBytes.Join(path, n.Name), device, true, ref files, ref bytes);
            if (!FreezeBudget.Fits(files, bytes, _policy.FreezeLimit)) return;
        }
    }

    /// <summary>The snapshot walks instead: thaws everything now.</summary>
    public void Walking(string why)
    {
        foreach (var freeze in _frozen.Select(f => f.Freeze).Distinct().ToList()) ThawBeforeReading(freeze, why);
    }

    private void ThawBeforeReading(FilesystemFreeze freeze, string why)
    {
        if (!freeze.Thaw()) return;
        foreach (var (source, f) in _frozen.Where(f => f.Freeze == freeze).ToList())
        {
            _guarantees[source] = $"not consistent: thawed before reading: {why}";
            _frozen.Remove((source, f));
        }
    }

    /// <summary>The read is done: thaws, deletes the copies, and says what the read got ("" when there are no sources).</summary>
    public string Finish()
    {
        foreach (var (source, freeze) in _frozen)
        {
            freeze.Thaw();
            _guarantees[source] = freeze.ThawedAtLimit
                ? $"not consistent: thawed at the {Seconds(freeze.Limit)} s freeze limit before the read was done"
                : $"frozen {freeze.Duration.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} s";
        }
        _frozen.Clear();
        _copies?.Delete();
        return Describe();
    }

    // One guarantee for all the sources when they share it, else each source's.
    private string Describe()
    {
        var distinct = _order.Select(s => _guarantees.GetValueOrDefault(s, "not consistent")).Distinct().ToList();
        if (distinct.Count <= 1) return distinct.FirstOrDefault() ?? "";
        return string.Join("; ", _order.Select(s => $"{s}: {_guarantees.GetValueOrDefault(s, "not consistent")}"));
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var freeze in _freezes) freeze.Dispose();
        _frozen.Clear();
        _copies?.Dispose();
    }
}
