// A source directory holding every kind of file and metadata a snapshot must keep, built with the real tools
// (mknod, setfattr, setfacl, touch -d @ns) so nothing about it depends on the code under test.
using System.Security.Cryptography;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;

namespace TimeTravel.Tests.Fs.Mounting.Support;

internal sealed class SourceTree : IDisposable
{
    public static readonly byte[] NonUtf8Name = [0xff, 0xfe];
    public const int BigSize = 20 << 20;

    public string Root { get; }
    public byte[] Big { get; }

    private SourceTree(string root, byte[] big) { Root = root; Big = big; }

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>An empty source directory, mode 0755 so other users can walk into it through the mount.</summary>
    public static SourceTree Empty(string prefix = "tt-src-")
    {
        string root = TempDir.Create(prefix);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0x1ED);
        return new SourceTree(root, []);
    }

    /// <summary>Random bytes, the same for the same seed.</summary>
    public static byte[] RandomBytes(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    public static SourceTree Full()
    {
        var big = RandomBytes(BigSize, 20);
        var tree = Empty();
        try
        {
            File.WriteAllBytes(tree["big.bin"], big);
            Sh(tree.Root, """
                set -e
                printf 'hello\n' > regular.txt; chmod 0644 regular.txt; chown 1234:5678 regular.txt
                : > empty; chmod 0640 empty
                printf 'top secret\n' > secret; chmod 0600 secret
                printf '#!/bin/sh\n' > setuid; chmod 4755 setuid
                printf 'g\n' > setgid; chown 0:5678 setgid; chmod 2750 setgid
                mkdir sticky; chmod 1777 sticky; printf 'in sticky\n' > sticky/file; chown 1234:1234 sticky/file
                mkdir private; chmod 0700 private; printf 'hidden\n' > private/inside
                ln -s regular.txt link; ln -s no/such/target dangling; chown -h 1234:5678 dangling
                mkfifo fifo; chmod 0620 fifo
                mknod chardev c 1 3; mknod blockdev b 7 200; chown 1234:5678 blockdev; chmod 0660 blockdev
                mkdir -p sub/deeper/deepest; printf 'deep\n' > sub/deeper/deepest/leaf.txt
                printf 'two names\n' > hard-a; ln hard-a sub/hard-b
                printf 'attrs\n' > xattr.txt
                setfattr -n user.note -v hello xattr.txt
                setfattr -n user.binary -v 0x00ff10fe xattr.txt
                setfattr -n user.dirnote -v on-a-dir sub
                printf 'acl\n' > acl.txt; chmod 0640 acl.txt; setfacl -m u:1234:r--,g:5678:rw- acl.txt
                mkdir acldir; setfacl -m u:1234:rwx acldir; setfacl -d -m u:1234:r-x acldir
                # ACLs that decide access: the group bits (the mask) alone would let group 100 in and keep uid 1234 out
                printf 'granted by acl\n' > acl-grant.txt; chown 0:100 acl-grant.txt; chmod 0640 acl-grant.txt
                setfacl -m u:1234:r--,g::---,m::r-- acl-grant.txt
                mkdir acl-private; printf 'inside\n' > acl-private/file; chmod 0700 acl-private; setfacl -m u:1234:r-x acl-private
                truncate -s 16M sparse.bin
                printf 'middle' | dd of=sparse.bin bs=1 seek=8388608 conv=notrunc status=none
                printf 'end' | dd of=sparse.bin bs=1 seek=16777213 conv=notrunc status=none
                printf 'not utf-8\n' > "$(printf '\377\376')"
                # every time in the past: rsync leaves alone the mtime of a special file it created in the same second
                find . -mindepth 1 ! -type d -print0 | xargs -0 touch -h -d @1400000000.123456789
                touch -h -d @1614834367.123456789 regular.txt
                touch -h -d @1500000000.000000001 empty link
                touch -h -d @1000000000.999999999 big.bin dangling
                touch -h -d @1700000000.5 sub/deeper/deepest/leaf.txt hard-a
                find . -mindepth 1 -type d -print0 | xargs -0 touch -h -d @1600000000.111111111
                touch -h -d @1600000001.222222222 .
                """);
            return new SourceTree(tree.Root, big);
        }
        catch { tree.Dispose(); throw; }
    }

    public static void Sh(string dir, string script)
    {
        var r = TestMount.Run("sh", "-c", "cd \"$1\" && shift && " + "eval \"$0\"", script, dir);
        if (r.ExitCode != 0) throw new InvalidOperationException($"building the source tree failed: {r.Stderr}");
    }

    /// <summary>Creates the store with this tree as its only source and takes one snapshot; returns it.</summary>
    public SnapshotRecord Snapshot(string store, DateTimeOffset time)
    {
        using var repo = Repository.Init(store);
        if (!repo.Catalog.Sources().Any(s => s.Path == Root)) repo.Catalog.AddSource(new SourceRecord(Root, []));
        var result = new SnapshotWriter(repo, new SnapshotOptions { Time = time }).Run();
        if (!result.Record.Complete) throw new InvalidOperationException("snapshot incomplete: " + string.Join("; ", result.Problems));
        return result.Record;
    }

    /// <summary>Where this tree appears inside a mounted snapshot: MOUNT/SNAPSHOT/its absolute path.</summary>
    public string In(string mountPoint, string snapshot, string relative = "") =>
        Path.Combine(mountPoint, snapshot, Root.TrimStart('/'), relative).TrimEnd('/');

    public static string Sha(byte[] b) => Convert.ToHexString(SHA256.HashData(b));

    public void Dispose() => Mounts.RemoveTree(Root);
}
