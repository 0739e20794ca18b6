// A tree described line by line, to compare a rolled-back tree with its checkpoint: per path its type, mode, owner,
// size, mtime, xattrs, symlink target, content hash and hard-link group (named by the group's first path), but not
// ctime or inode numbers, which no rollback can or should keep. The root directory's own line is included.
using System.Security.Cryptography;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Store.Rollback;

public static class TreeManifest
{
    public static List<string> Of(string root)
    {
        var lines = new List<string>();
        var groups = new Dictionary<(ulong, ulong), string>();
        Walk(PathBytes.From(root), ".", lines, groups);
        return lines;
    }

    /// <summary>The first differing lines of two manifests, for an assertion message ("" when equal).</summary>
    public static string Difference(List<string> expected, List<string> actual)
    {
        var missing = expected.Except(actual).Take(10).Select(l => "- " + l);
        var extra = actual.Except(expected).Take(10).Select(l => "+ " + l);
        return string.Join("\n", missing.Concat(extra));
    }

    private static void Walk(byte[] path, string rel, List<string> lines, Dictionary<(ulong, ulong), string> groups)
    {
        var st = PosixFs.LStat(path);
        string xattrs = string.Join(",", PosixFs.ReadXattrs(path).Select(x => $"{PathBytes.Display(x.Key)}={Convert.ToHexString(x.Value)}"));
        string what = st.Kind switch
        {
            FileKind.Regular => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(PathBytes.Display(path))))[..16],
            FileKind.Symlink => "-> " + PathBytes.Display(PosixFs.ReadLink(path)),
            FileKind.CharDevice or FileKind.BlockDevice => $"rdev {st.RDev}",
            _ => "",
        };
        string link = "";
        if (st.Kind != FileKind.Directory && st.Links > 1)
        {
            if (!groups.TryGetValue((st.Device, st.Inode), out var first)) groups[(st.Device, st.Inode)] = first = rel;
            link = $" link={first}/{st.Links}";
        }
        string size = st.Kind == FileKind.Directory ? "" : $" size={st.Size}";
        lines.Add($"{rel} {st.Kind} {Convert.ToString(st.Permissions, 8)} {st.Uid}:{st.Gid}{size} mtime={st.MTimeNs} [{xattrs}] {what}{link}");
        if (st.Kind != FileKind.Directory) return;
        var names = PosixFs.ReadDirectory(path).Select(e => e.Name).OrderBy(n => n, PathBytes.Comparer).ToList();
        foreach (var name in names) Walk(PathBytes.Join(path, name), rel + "/" + PathBytes.Display(name), lines, groups);
    }
}
