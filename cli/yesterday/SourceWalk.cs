// Whether a snapshot's walk would have recorded a path, so that `yesterday -c` removes from a directory only what
// was made since the snapshot: never what the sources exclude, what lies outside them (the directories on the way
// to a source hold only that branch), or what is on another filesystem than its source (the walk does not cross).
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Yesterday;

public static class SourceWalk
{
    public static bool WouldRecord(IReadOnlyList<(byte[] Root, ExcludeRules Rules)> sources, byte[] path, byte[] name)
    {
        bool inside = false;
        foreach (var (root, rules) in sources)
        {
            if (!PathBytes.IsWithin(path, root) || path.Length == root.Length) continue;
            if (rules.IsExcluded(path, name)) return false;
            int slash = path.AsSpan().LastIndexOf((byte)'/');
            var parent = slash == 0 ? "/"u8.ToArray() : path[..slash];
            if (!PosixFs.TryLStat(root, out var r) || !PosixFs.TryLStat(parent, out var p) || r.Device != p.Device) return false;
            inside = true;
        }
        return inside;
    }
}
