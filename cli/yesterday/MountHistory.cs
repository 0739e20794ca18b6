// `yesterday -a` read through the mount. A file's versions are the entries of MOUNT/.history/PATH/ (one per
// distinct version, named by the snapshot that first had it); a deletion between two versions, or after the last,
// is found by binary search over the snapshots in between (the file is there, then gone, until the next version).
// A directory has no versions in .history: its own metadata is compared snapshot by snapshot.
using TimeTravel.Store.History;
using TimeTravel.Store.Posix;

namespace TimeTravel.Yesterday;

public static class MountHistory
{
    private const long CompareUpTo = 16 << 20; // larger versions of equal size are told apart by mtime alone

    public static List<(SnapshotStamp Snap, FileStatus? Status, IReadOnlyList<string> Words)> Versions(MountPast past, byte[] path)
    {
        var all = past.Snapshots;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < all.Count; i++) index[all[i].Name] = i;

        byte[] dir = past.InHistory(path);
        var found = new List<(int At, FileStatus St, byte[] File)>();
        try
        {
            foreach (var e in PosixFs.ReadDirectory(dir))
            {
                var file = PathBytes.Join(dir, e.Name);
                if (index.TryGetValue(PathBytes.Display(e.Name), out int at) && PosixFs.TryLStat(file, out var st) && st.Kind != FileKind.Directory)
                    found.Add((at, st, file));
            }
        }
        catch (PosixException e) when (e.Errno is 2 or 20) { return []; }
        if (found.Count == 0) return DirectoryVersions(past, path);
        found.Sort((a, b) => a.At.CompareTo(b.At));

        var lines = new List<(SnapshotStamp, FileStatus?, IReadOnlyList<string>)>();
        for (int v = 0; v < found.Count; v++)
        {
            var (at, st, file) = found[v];
            bool deletedBefore = false;
            if (v > 0)
            {
                int from = found[v - 1].At;
                if (at - 1 > from && !past.ExistsAsFile(all[at - 1], path))
                {
                    lines.Add((all[FirstMissing(past, path, from + 1, at - 1)], null, ["deleted"]));
                    deletedBefore = true;
                }
            }
            IReadOnlyList<string> words = v == 0 ? ["created"] : deletedBefore ? ["recreated"] : Changes(found[v - 1].St, found[v - 1].File, st, file);
            lines.Add((all[at], st, words));
        }
        int last = found[^1].At;
        if (last < all.Count - 1 && !past.ExistsAsFile(all[^1], path))
            lines.Add((all[FirstMissing(past, path, last + 1, all.Count - 1)], null, ["deleted"]));
        return lines;
    }

    // The first snapshot in [lo, hi] without the file, given that hi has none and the file, once gone, stays gone.
    private static int FirstMissing(MountPast past, byte[] path, int lo, int hi)
    {
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (past.ExistsAsFile(past.Snapshots[mid], path)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static IReadOnlyList<string> Changes(FileStatus a, byte[] fileA, FileStatus b, byte[] fileB)
    {
        if (a.Kind != b.Kind) return ["kind", "content", "metadata"];
        bool content = a.Size != b.Size || a.RDev != b.RDev;
        if (!content && a.Kind == FileKind.Symlink) content = !PosixFs.ReadLink(fileA).AsSpan().SequenceEqual(PosixFs.ReadLink(fileB));
        else if (!content && a.Kind == FileKind.Regular) content = a.Size <= CompareUpTo ? !SameBytes(fileA, fileB) ?? a.MTimeNs != b.MTimeNs : a.MTimeNs != b.MTimeNs;
        bool metadata = a.Permissions != b.Permissions || a.Uid != b.Uid || a.Gid != b.Gid || (!content && a.MTimeNs != b.MTimeNs);
        if (!content && !metadata) metadata = true; // a distinct version all the same: its xattrs changed
        return content && metadata ? ["content", "metadata"] : content ? ["content"] : ["metadata"];
    }

    // Null when either cannot be read by this user.
    private static bool? SameBytes(byte[] a, byte[] b)
    {
        try { return ReadAll(a).AsSpan().SequenceEqual(ReadAll(b)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static byte[] ReadAll(byte[] path)
    {
        using var h = PosixFs.OpenRead(path);
        var buffer = new byte[RandomAccess.GetLength(h)];
        for (int at = 0, n; at < buffer.Length && (n = RandomAccess.Read(h, buffer.AsSpan(at), at)) > 0;) at += n;
        return buffer;
    }

    // A directory: one version per change of its own kind, mode, owner or mtime (its entries changed) across the snapshots.
    private static List<(SnapshotStamp, FileStatus?, IReadOnlyList<string>)> DirectoryVersions(MountPast past, byte[] path)
    {
        var lines = new List<(SnapshotStamp, FileStatus?, IReadOnlyList<string>)>();
        FileStatus? previous = null;
        bool seen = false;
        foreach (var snap in past.Snapshots)
        {
            FileStatus? st = PosixFs.TryLStat(past.Exact(snap, path), out var s) ? s : null;
            if (st is null && previous is null) continue;
            if (st is { } now && previous is { } was)
            {
                bool metadata = now.Permissions != was.Permissions || now.Uid != was.Uid || now.Gid != was.Gid;
                bool content = now.MTimeNs != was.MTimeNs || now.Kind != was.Kind;
                if (!metadata && !content) continue;
                lines.Add((snap, st, content && metadata ? ["content", "metadata"] : content ? ["content"] : ["metadata"]));
            }
            else lines.Add((snap, st, st is null ? ["deleted"] : seen ? ["recreated"] : ["created"]));
            seen = true;
            previous = st;
        }
        return lines;
    }
}
