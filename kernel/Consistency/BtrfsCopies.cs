// Read-only btrfs snapshots of the subvolumes that hold sources, for a snapshot to read from: one per subvolume, made
// at <subvolume root>/.timetravel-consistent/<name> (a snapshot must be made on the same filesystem; that directory
// is left out of every source, see ConsistentCopies) and deleted afterwards. The name is the store's own, so a copy
// left by a killed run of this store is found, and deleted, by its next snapshot.
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Kernel.Consistency;

public sealed class BtrfsCopies : IDisposable
{
    private readonly List<(string Container, byte[] Name)> _made = [];
    private readonly Action<string> _report;

    /// <summary>The sources read from a copy.</summary>
    public List<SourceView> Views { get; } = [];

    /// <summary>What each source on btrfs got: "point-in-time: btrfs snapshot" or "not consistent: ...", by source.</summary>
    public List<(string Source, string Guarantee)> Guarantees { get; } = [];

    private BtrfsCopies(Action<string> report) => _report = report;

    /// <summary>The name of this store's copies.</summary>
    public static string CopyName(string storeRoot) =>
        "store-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(storeRoot).TrimEnd('/'))), 0, 8).ToLowerInvariant();

    /// <summary>Copies the subvolumes holding <paramref name="sources"/> (source paths, each a directory or file on btrfs).</summary>
    public static BtrfsCopies Make(IEnumerable<string> sources, string storeRoot, Action<string> report)
    {
        var copies = new BtrfsCopies(report);
        try
        {
            var bySubvolume = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                string? root = SubvolumeRoot(source, out string? why);
                if (root is null) { copies.Guarantees.Add((source, $"not consistent: {why}")); continue; }
                if (!bySubvolume.TryGetValue(root, out var list)) bySubvolume[root] = list = [];
                list.Add(source);
            }
            foreach (var (root, inIt) in bySubvolume) copies.Copy(root, inIt, CopyName(storeRoot));
            return copies;
        }
        catch
        {
            copies.Dispose();
            throw;
        }
    }

    // The root of the subvolume a source lies in: up from the source while the device stays the same, to the
    // directory with the subvolume root's inode number.
    private static string? SubvolumeRoot(string source, out string? why)
    {
        why = null;
        if (!PosixFs.TryLStat(PathBytes.From(source), out var st)) { why = $"{source} cannot be read"; return null; }
        string dir = st.Kind == FileKind.Directory ? source : Path.GetDirectoryName(source) ?? "/";
        ulong device = st.Device;
        while (true)
        {
            if (!PosixFs.TryLStat(PathBytes.From(dir), out var d) || d.Device != device)
            {
                why = $"the btrfs subvolume holding {source} is not reachable from its path (mounted below its root?)";
                return null;
            }
            if (d.Inode == LinuxCalls.BtrfsSubvolumeRootInode) return dir;
            if (dir == "/") { why = $"no btrfs subvolume root above {source}"; return null; }
            dir = Path.GetDirectoryName(dir) ?? "/";
        }
    }

    private void Copy(string subvolumeRoot, List<string> sources, string name)
    {
        string container = Path.Combine(subvolumeRoot, ConsistentCopies.DirectoryName);
        string copy = Path.Combine(container, name);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        try
        {
            if (!PosixFs.TryLStat(PathBytes.From(container), out _)) PosixFs.MakeDirectory(PathBytes.From(container), 0x1C0); // 0700
            using var subvolume = PosixFs.OpenDirectoryAt(null, PathBytes.From(subvolumeRoot), PathBytes.From(subvolumeRoot));
            using var into = PosixFs.OpenDirectoryAt(null, PathBytes.From(container), PathBytes.From(container));
            if (PosixFs.TryLStat(PathBytes.From(copy), out _))
            {
                int gone = LinuxCalls.BtrfsDestroySnapshot(into, nameBytes);
                if (gone != 0) throw new IOException($"{copy}: a copy left by an interrupted snapshot cannot be deleted: {Errno.Describe(gone)}");
                _report($"{copy}: deleted a btrfs snapshot left by an interrupted snapshot");
            }
            int errno = LinuxCalls.BtrfsSnapshotReadOnly(subvolume, into, nameBytes);
            if (errno != 0) throw new IOException($"BTRFS_IOC_SNAP_CREATE_V2 into {container} failed: {Errno.Describe(errno)}");
            _made.Add((container, nameBytes));
            var copyRoot = PosixFs.LStat(PathBytes.From(copy));
            foreach (var source in sources)
            {
                var live = PosixFs.LStat(PathBytes.From(source));
                string relative = Path.GetRelativePath(subvolumeRoot, source);
                string readPath = relative == "." ? copy : Path.Combine(copy, relative);
                Views.Add(new SourceView(source, readPath, copyRoot.Device, live.Device, LinuxCalls.BtrfsEmptySubvolumeInode));
                Guarantees.Add((source, "point-in-time: btrfs snapshot"));
            }
        }
        catch (Exception e) when (e is PosixException or IOException)
        {
            foreach (var source in sources) Guarantees.Add((source, $"not consistent: btrfs snapshot of {subvolumeRoot} failed: {e.Message}"));
        }
    }

    /// <summary>Deletes the copies (idempotent); a copy that cannot be deleted is reported and left for the next run.</summary>
    public void Delete()
    {
        foreach (var (container, name) in _made)
        {
            try
            {
                using var dir = PosixFs.OpenDirectoryAt(null, PathBytes.From(container), PathBytes.From(container));
                int errno = LinuxCalls.BtrfsDestroySnapshot(dir, name);
                if (errno != 0) _report($"{container}/{Encoding.UTF8.GetString(name)}: the btrfs snapshot could not be deleted ({Errno.Describe(errno)}); the next snapshot retries");
            }
            catch (PosixException e) { _report($"{e.Message}; the next snapshot retries deleting its btrfs snapshot"); }
        }
        _made.Clear();
    }

    public void Dispose() => Delete();
}
