// Compares a restored tree with the source it was snapshotted from: lstat fields (not ctime, which no restore
// can set), xattrs including ACLs and capabilities, symlink targets, content, and hard-link groups.
using System.Security.Cryptography;
using TimeTravel.Store.Posix;
using Xunit;

namespace TimeTravel.Tests.Store.Restore;

public static class RestoreAssert
{
    /// <summary>Every path below `source` (sockets left out: snapshots skip them), relative, depth first.</summary>
    public static IEnumerable<byte[]> RelativePaths(byte[] source, byte[]? prefix = null)
    {
        foreach (var e in PosixFs.ReadDirectory(prefix is null ? source : PathBytes.Join(source, prefix)))
        {
            var rel = prefix is null ? e.Name : PathBytes.Join(prefix, e.Name);
            var kind = PosixFs.LStat(PathBytes.Join(source, rel)).Kind;
            if (kind == FileKind.Socket) continue;
            yield return rel;
            if (kind == FileKind.Directory) foreach (var sub in RelativePaths(source, rel)) yield return sub;
        }
    }

    public static void SameFile(byte[] source, byte[] restored)
    {
        string where = PathBytes.Display(restored);
        var s = PosixFs.LStat(source);
        Assert.True(PosixFs.TryLStat(restored, out var r), $"{where} was not restored");
        Assert.True(s.Kind == r.Kind, $"{where}: kind {r.Kind}, source {s.Kind}");
        Assert.True(s.Permissions == r.Permissions, $"{where}: mode {Convert.ToString(r.Permissions, 8)}, source {Convert.ToString(s.Permissions, 8)}");
        Assert.True((s.Uid, s.Gid) == (r.Uid, r.Gid), $"{where}: owner {r.Uid}:{r.Gid}, source {s.Uid}:{s.Gid}");
        Assert.True(s.MTimeNs == r.MTimeNs, $"{where}: mtime {r.MTimeNs}, source {s.MTimeNs}");
        if (s.Kind is FileKind.CharDevice or FileKind.BlockDevice) Assert.True(s.RDev == r.RDev, $"{where}: rdev {r.RDev}, source {s.RDev}");
        if (s.Kind != FileKind.Directory) Assert.True(s.Size == r.Size, $"{where}: size {r.Size}, source {s.Size}");
        var sx = PosixFs.ReadXattrs(source);
        var rx = PosixFs.ReadXattrs(restored);
        Assert.True(sx.Select(x => PathBytes.Display(x.Key)).SequenceEqual(rx.Select(x => PathBytes.Display(x.Key))),
            $"{where}: xattrs [{string.Join(", ", rx.Select(x => PathBytes.Display(x.Key)))}], source [{string.Join(", ", sx.Select(x => PathBytes.Display(x.Key)))}]");
        for (int i = 0; i < sx.Count; i++) Assert.True(sx[i].Value.AsSpan().SequenceEqual(rx[i].Value), $"{where}: xattr {PathBytes.Display(sx[i].Key)} differs");
        if (s.Kind == FileKind.Symlink) Assert.Equal(PosixFs.ReadLink(source), PosixFs.ReadLink(restored));
        if (s.Kind == FileKind.Regular) Assert.True(Hash(source) == Hash(restored), $"{where}: content differs from the source");
    }

    public static string Hash(byte[] path)
    {
        using var h = PosixFs.OpenRead(path);
        using var f = new FileStream(h, FileAccess.Read);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    /// <summary>Names below `dir` that look like a restore's temporary files: there must be none once it is done.</summary>
    public static List<string> Leftovers(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, ".tt-restore-*", SearchOption.AllDirectories).ToList();
}
