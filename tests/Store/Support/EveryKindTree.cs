// A source tree holding every kind of file and every piece of metadata a snapshot must keep: modes with
// setuid/setgid/sticky, other owners, nanosecond mtimes, hard links, xattrs with an ACL and a capability,
// a sparse file, a big random file, devices, a fifo, a socket, and names and a symlink target that are not UTF-8.
using System.Text;
using TimeTravel.Store.Posix;

namespace TimeTravel.Tests.Store.Support;

public sealed class EveryKindTree
{
    public const long SparseSize = 100L << 20;
    public const long SparseDataOffset = 50L << 20;
    public const int BigSize = 20 << 20;
    public const ulong CharDevRDev = (1 << 8) | 3;   // makedev(1, 3): /dev/null
    public const ulong BlockDevRDev = 7 << 8;        // makedev(7, 0): loop0
    public const long MTimeNs = 1_600_000_000_123_456_789;

    public static readonly byte[] OddName = [(byte)'o', (byte)'d', (byte)'d', 0xff, 0xfe];
    public static readonly byte[] OddTarget = [(byte)'.', (byte)'.', (byte)'/', 0xff, (byte)'t', 0xfe];
    public static readonly byte[] UserXattrValue = [(byte)'v', 0, 0xff, (byte)'\n'];
    // vfs_cap_data revision 2 with the effective flag: cap_net_bind_service permitted.
    public static readonly byte[] CapabilityV2 = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public string Root { get; }
    public byte[] RootBytes { get; }
    public bool HasAcl { get; private set; }

    private EveryKindTree(string root) { Root = root; RootBytes = PathBytes.From(root); }

    public byte[] P(string relative) => PathBytes.Join(RootBytes, PathBytes.From(relative));
    public byte[] P(byte[] relative) => PathBytes.Join(RootBytes, relative);

    public static EveryKindTree Create(string root)
    {
        var t = new EveryKindTree(root);
        Directory.CreateDirectory(root);
        var all = new List<byte[]>();
        byte[] Mk(string rel) { var p = t.P(rel); all.Add(p); return p; }

        SourceFiles.Write(Mk("regular.txt"), "hello, time\n"u8);
        SourceFiles.Write(Mk("empty"), [], 0x180);
        PosixFs.MakeDirectory(Mk("dir"), 0x1E8); // 0750
        SourceFiles.Write(Mk("dir/nested.txt"), Encoding.ASCII.GetBytes(new string('n', 5000)));
        PosixFs.MakeDirectory(Mk("sticky"), 0x1FF);
        PosixFs.Chmod(t.P("sticky"), 0x3FF);      // 01777
        SourceFiles.Write(Mk("setuid"), "#!/bin/sh\n"u8);
        PosixFs.Chmod(t.P("setuid"), 0x9ED);      // 04755
        SourceFiles.Write(Mk("setgid"), "#!/bin/sh\n"u8);
        PosixFs.Chmod(t.P("setgid"), 0x5ED);      // 02755
        SourceFiles.Write(Mk("owned"), "theirs\n"u8);
        PosixFs.LChown(t.P("owned"), 1234, 5678);
        PosixFs.Chmod(t.P("owned"), 0x1A0);       // 0640, after chown (which clears setid bits)
        PosixFs.Symlink(OddTarget, Mk("link"));
        PosixFs.LChown(t.P("link"), 4321, 8765);
        PosixFs.MakeNode(Mk("fifo"), 0x1000 | 0x1A4, 0);
        PosixFs.MakeNode(Mk("chardev"), 0x2000 | 0x1B6, CharDevRDev);
        PosixFs.MakeNode(Mk("blockdev"), 0x6000 | 0x1B0, BlockDevRDev);
        PosixFs.MakeNode(t.P("socket"), 0xC000 | 0x1ED, 0); // skipped by snapshots: not in `all`

        SourceFiles.Write(Mk("hard1"), SourceFiles.Random(70_000, 11));
        PosixFs.HardLink(t.P("hard1"), Mk("dir/hard2"));

        SourceFiles.Write(Mk("xattrs"), "attributes\n"u8);
        PosixFs.SetXattr(t.P("xattrs"), "user.comment"u8.ToArray(), UserXattrValue);
        PosixFs.SetXattr(t.P("xattrs"), "user.empty"u8.ToArray(), []);
        PosixFs.SetXattr(t.P("xattrs"), "security.capability"u8.ToArray(), CapabilityV2);
        if (Shell.Exists("setfacl"))
        {
            Shell.Run("setfacl", "-m", "u:1234:rw,g:5678:r", t.Root + "/xattrs");
            Shell.Run("setfacl", "-d", "-m", "u:1234:rwx", t.Root + "/dir");
            t.HasAcl = true;
        }
        PosixFs.SetXattr(t.P("dir"), "user.dir"u8.ToArray(), "on a directory"u8.ToArray());

        using (var h = PosixFs.CreateWrite(Mk("sparse"), 0x1A4, exclusive: true))
        {
            PosixFs.Truncate(h, SparseSize, t.P("sparse"));
            RandomAccess.Write(h, "X"u8, SparseDataOffset);
        }
        SourceFiles.Write(Mk("big"), SourceFiles.Random(BigSize, 7));
        SourceFiles.Write(t.P(OddName), SourceFiles.Random(3000, 5));
        all.Add(t.P(OddName));

        long ns = MTimeNs;
        foreach (var p in all) { PosixFs.SetTimes(p, ns, ns); ns += 1_000_003; }
        PosixFs.SetTimes(t.RootBytes, ns, ns + 7);
        return t;
    }
}
