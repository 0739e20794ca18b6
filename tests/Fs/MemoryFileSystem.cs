// A tiny in-memory read-only ILowLevelFileSystem for the mount tests: a few nodes, one that throws, one added later.
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Tests.Fs;

internal sealed class MemoryFileSystem : ILowLevelFileSystem
{
    public sealed class Node
    {
        public required ulong Ino;
        public required uint Mode;
        public byte[] Data = [];                    // file contents or symlink target
        public List<(byte[] Name, Node Node)> Children = [];
        public Dictionary<string, byte[]> Xattrs = [];
        public bool ThrowOnRead;
    }

    public static readonly UnixTime MTime = new(1_700_000_000, 123_456_789);
    public static readonly byte[] NonUtf8Name = [0xff, 0xfe];
    public static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello, fuse\n");
    public static readonly byte[] Big = MakeBig(8 << 20);

    private readonly Dictionary<ulong, Node> _nodes = [];
    private readonly Lock _gate = new();
    public Node Root { get; }
    public double NegativeTimeout { get; init; }
    public bool CacheDirectories { get; init; }
    public bool? ReaddirPlus { get; init; }     // true: always readdirplus, false: never, null: kernel's choice
    public int PlusReads, PlainReads;           // how many ReadDir calls came in each mode

    // manyEntries > 0 adds a directory "many" whose listing needs several readdir requests.
    public MemoryFileSystem(int manyEntries = 0)
    {
        Root = Add(null, "", ModeBits.S_IFDIR | 0x1ED); // 0755
        Node dir = Add(Root, "dir", ModeBits.S_IFDIR | 0x1ED);
        Add(dir, "inner.txt", ModeBits.S_IFREG | 0x1A4).Data = Encoding.ASCII.GetBytes("inner\n");
        Node hello = Add(Root, "hello.txt", ModeBits.S_IFREG | 0x1A4); // 0644
        hello.Data = Hello;
        hello.Xattrs["user.greeting"] = Encoding.ASCII.GetBytes("hi there");
        Add(Root, "big.bin", ModeBits.S_IFREG | 0x1A4).Data = Big;
        Add(Root, "link", ModeBits.S_IFLNK | 0x1FF).Data = Encoding.ASCII.GetBytes("hello.txt");
        Add(Root, NonUtf8Name, ModeBits.S_IFREG | 0x1A4).Data = Encoding.ASCII.GetBytes("not utf-8\n");
        Node boom = Add(Root, "boom", ModeBits.S_IFREG | 0x1A4);
        boom.Data = new byte[100]; // non-empty, or the kernel never asks to read it
        boom.ThrowOnRead = true;
        if (manyEntries > 0)
        {
            Node many = Add(Root, "many", ModeBits.S_IFDIR | 0x1ED);
            for (int i = 0; i < manyEntries; i++) Add(many, ManyName(i), ModeBits.S_IFREG | 0x1A4);
        }
    }

    public Node Add(Node? parent, string name, uint mode) => Add(parent, Encoding.UTF8.GetBytes(name), mode);

    public Node Add(Node? parent, byte[] name, uint mode)
    {
        lock (_gate)
        {
            var node = new Node { Ino = (ulong)_nodes.Count + 1, Mode = mode };
            _nodes[node.Ino] = node;
            parent?.Children.Add((name, node));
            return node;
        }
    }

    public static string ManyName(int i) => $"entry-{i:D5}-with-a-longish-name-to-fill-the-buffer-sooner";

    private static byte[] MakeBig(int size)
    {
        var data = new byte[size];
        new Random(42).NextBytes(data);
        return data;
    }

    private Node? Get(ulong ino)
    {
        lock (_gate) return _nodes.GetValueOrDefault(ino);
    }

    private static InodeAttributes Attributes(Node n) => new()
    {
        Ino = n.Ino,
        Mode = n.Mode,
        NLink = (n.Mode & ModeBits.S_IFMT) == ModeBits.S_IFDIR ? 2u : 1u,
        Uid = 1234,
        Gid = 5678,
        Size = n.Data.Length,
        Blocks = (n.Data.Length + 511) / 512,
        BlockSize = 4096,
        ATime = MTime,
        MTime = MTime,
        CTime = MTime,
    };

    private static FuseEntry Entry(Node n) =>
        new() { Attributes = Attributes(n), EntryTimeout = 1, AttributeTimeout = 1 };

    public void Init(ref FuseConnection connection)
    {
        connection.Want |= FuseCap.CacheSymlinks;
        if (ReaddirPlus == true) connection.Want = (connection.Want | FuseCap.ReaddirPlus) & ~FuseCap.ReaddirPlusAuto;
        if (ReaddirPlus == false) connection.Want &= ~(FuseCap.ReaddirPlus | FuseCap.ReaddirPlusAuto);
    }

    public int Lookup(ulong parent, ReadOnlySpan<byte> name, Caller caller, out FuseEntry entry)
    {
        entry = default;
        if (name.SequenceEqual("lookup-boom"u8)) throw new InvalidOperationException("lookup failure for the test");
        Node? dir = Get(parent);
        if (dir is null) return Errno.ENOENT;
        lock (_gate)
            foreach (var (childName, child) in dir.Children)
                if (name.SequenceEqual(childName)) { entry = Entry(child); return 0; }
        if (NegativeTimeout > 0) { entry.EntryTimeout = NegativeTimeout; return 0; } // ino 0: cached "no such name"
        return Errno.ENOENT;
    }

    public int GetAttr(ulong ino, out InodeAttributes attributes, out double timeout)
    {
        Node? n = Get(ino);
        attributes = n is null ? default : Attributes(n);
        timeout = 1;
        return n is null ? Errno.ENOENT : 0;
    }

    public int ReadLink(ulong ino, out ReadOnlySpan<byte> target)
    {
        Node? n = Get(ino);
        target = n?.Data;
        return n is null ? Errno.ENOENT : (n.Mode & ModeBits.S_IFMT) == ModeBits.S_IFLNK ? 0 : Errno.EINVAL;
    }

    public int Open(ulong ino, int flags, out OpenResult result)
    {
        result = new OpenResult { Handle = ino * 10, KeepCache = true };
        return Get(ino) is null ? Errno.ENOENT : 0;
    }

    public int Read(ulong ino, ulong handle, long offset, Span<byte> buffer, out int bytesRead)
    {
        bytesRead = 0;
        if (handle != ino * 10) return Errno.EBADF; // proves the handle from Open comes back
        Node? n = Get(ino);
        if (n is null) return Errno.ENOENT;
        if (n.ThrowOnRead) throw new InvalidOperationException("read failure for the test");
        if (offset >= n.Data.Length) return 0;
        bytesRead = (int)Math.Min(buffer.Length, n.Data.Length - offset);
        n.Data.AsSpan((int)offset, bytesRead).CopyTo(buffer);
        return 0;
    }

    public int OpenDir(ulong ino, int flags, out OpenResult result)
    {
        result = new OpenResult { KeepCache = CacheDirectories, CacheDirectory = CacheDirectories };
        return Get(ino) is null ? Errno.ENOENT : 0;
    }

    public int ReadDir(ulong ino, ulong handle, long offset, Caller caller, ref DirectoryBuffer buffer)
    {
        Node? dir = Get(ino);
        if (dir is null) return Errno.ENOENT;
        Interlocked.Increment(ref buffer.Plus ? ref PlusReads : ref PlainReads);
        List<(byte[] Name, Node Node)> entries;
        lock (_gate) entries = [("."u8.ToArray(), dir), (".."u8.ToArray(), dir), .. dir.Children];
        for (int i = (int)offset; i < entries.Count; i++)
            if (!buffer.TryAdd(entries[i].Name, Entry(entries[i].Node), i + 1)) break;
        return 0;
    }

    public int StatFs(ulong ino, out FileSystemStats stats)
    {
        stats = new FileSystemStats { BlockSize = 4096, FragmentSize = 4096, Blocks = 1000, Files = 10, NameMax = 255 };
        return 0;
    }

    public int GetXattr(ulong ino, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        Node? n = Get(ino);
        if (n is null) return Errno.ENOENT;
        if (!n.Xattrs.TryGetValue(Encoding.UTF8.GetString(name), out byte[]? v)) return Errno.ENODATA;
        value = v;
        return 0;
    }

    public int ListXattr(ulong ino, out ReadOnlySpan<byte> names)
    {
        Node? n = Get(ino);
        names = n is null ? default : Encoding.UTF8.GetBytes(string.Concat(n.Xattrs.Keys.Select(k => k + "\0")));
        return n is null ? Errno.ENOENT : 0;
    }
}
