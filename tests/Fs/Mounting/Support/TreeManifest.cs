// Everything a copy must keep, one sorted line per file, from lstat, readlink, llistxattr and the content's hash:
// kind, mode, owner, mtime to the nanosecond, size, device numbers, link target, xattrs (POSIX ACLs included),
// and which names share an inode. Two trees are equal for a backup when their manifests are equal.
using System.Security.Cryptography;
using System.Text;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Fs.Mounting.Support;

internal static class TreeManifest
{
    public static List<string> Of(string root)
    {
        var lines = new List<string>();
        Walk(PathBytes.From(root), [], lines, new Dictionary<(ulong, ulong), string>());
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Asserts equality with a readable list of the lines that differ.</summary>
    public static void AssertSame(string expectedRoot, string actualRoot)
    {
        var expected = Of(expectedRoot);
        var actual = Of(actualRoot);
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Xunit.Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{actualRoot} differs from {expectedRoot}:\n  expected: {string.Join("\n  expected: ", missing)}\n  actual:   {string.Join("\n  actual:   ", extra)}");
    }

    private static void Walk(byte[] full, byte[] relative, List<string> lines, Dictionary<(ulong, ulong), string> firstName)
    {
        var st = PosixFs.LStat(full);
        string name = relative.Length == 0 ? "." : Show(relative);
        var line = new StringBuilder($"{name} {st.Kind} {Convert.ToString(st.Permissions, 8)} {st.Uid}:{st.Gid} mtime={st.MTimeNs}");
        switch (st.Kind)
        {
            case FileKind.Regular:
                line.Append($" size={st.Size} sha256={Hash(full)}");
                break;
            case FileKind.Symlink:
                line.Append($" -> {Show(PosixFs.ReadLink(full))}");
                break;
            case FileKind.CharDevice or FileKind.BlockDevice:
                line.Append($" rdev={st.RDev}");
                break;
        }
        if (st.Kind != FileKind.Directory && st.Links > 1)
        {
            var key = (st.Device, st.Inode);
            if (!firstName.TryGetValue(key, out var first)) firstName[key] = first = name;
            line.Append($" nlink={st.Links} inode-of={first}");
        }
        foreach (var (k, v) in PosixFs.ReadXattrs(full).OrderBy(x => Show(x.Key), StringComparer.Ordinal))
            line.Append($" xattr:{Show(k)}={Convert.ToHexString(v)}");
        lines.Add(line.ToString());
        if (st.Kind != FileKind.Directory) return;
        foreach (var e in PosixFs.ReadDirectory(full).OrderBy(e => e.Name, PathBytes.Comparer))
            Walk(PathBytes.Join(full, e.Name), relative.Length == 0 ? e.Name : PathBytes.Join(relative, e.Name), lines, firstName);
    }

    // Names as text with bytes that are not printable ASCII escaped, so a non-UTF-8 name stays distinct.
    private static string Show(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes) sb.Append(b is > 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }

    private static string Hash(byte[] path)
    {
        using var handle = PosixFs.OpenRead(path);
        using var stream = new FileStream(handle, FileAccess.Read, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
