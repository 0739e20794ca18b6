// Directory encoding: every field round-trips, and damaged bytes fail with an error naming the directory.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Trees;

public class DirectoryCodecTests
{
    private static List<Node> Sample()
    {
        var nodes = new List<Node>
        {
            new() { Name = "a.txt"u8.ToArray(), Kind = FileKind.Regular, Mode = 0x1A4, Uid = 1000, Gid = 1000, Size = 70_000, Blocks = 144,
                    MTimeNs = 1_600_000_000_123_456_789, CTimeNs = 1_600_000_001_987_654_321,
                    Content = new StreamRef(Score.Of("a"u8), 1, 70_000), LinkId = 0xDEADBEEFCAFEF00D, NLink = 3 },
            new() { Name = [(byte)'b', 0xff, 0xfe, 0x80], Kind = FileKind.Regular, Mode = 0xDED /* 06755 */, Uid = uint.MaxValue - 1, Gid = 0,
                    MTimeNs = -1_234_567_891, CTimeNs = 0, Flags = NodeFlags.Unreadable },
            new() { Name = "dev"u8.ToArray(), Kind = FileKind.CharDevice, Mode = 0x1B6, RDev = (1 << 8) | 3 },
            new() { Name = "disk"u8.ToArray(), Kind = FileKind.BlockDevice, Mode = 0x1B0, RDev = 0xFFFF_FFFF_FFFF },
            new() { Name = "fifo"u8.ToArray(), Kind = FileKind.Fifo, Mode = 0x180 },
            new() { Name = "link"u8.ToArray(), Kind = FileKind.Symlink, Mode = 0x1FF, Size = 6, LinkTarget = [(byte)'/', 0xff, 0, 1, (byte)'x', 0xc3] },
            new() { Name = "sub"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x3FF, Content = new StreamRef(Score.Of("d"u8), 0, 321),
                    Flags = NodeFlags.Unstable },
            new() { Name = "z\u00e9"u8.ToArray(), Kind = FileKind.Regular, Mode = 0x1A4, Size = 1L << 40, Blocks = 8,
                    Content = new StreamRef(Score.Of("z"u8), 3, 1L << 40) },
        };
        nodes[0].Xattrs.Add(new("security.capability"u8.ToArray(), [1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        nodes[0].Xattrs.Add(new("system.posix_acl_access"u8.ToArray(), [2, 0, 0, 0, 1, 0, 6, 0]));
        nodes[0].Xattrs.Add(new("user.empty"u8.ToArray(), []));
        nodes[6].Xattrs.Add(new("user.\xff"u8.ToArray(), [0xff]));
        return nodes;
    }

    private static void AssertSame(Node want, Node got)
    {
        Assert.Equal(want.Name, got.Name);
        Assert.True(want.SameMetadata(got), $"metadata of {PathBytes.Display(want.Name)} changed");
        Assert.Equal(want.Blocks, got.Blocks);
        Assert.Equal(want.LinkId, got.LinkId);
        Assert.Equal(want.Flags, got.Flags);
        Assert.Equal(want.Content, got.Content);
        Assert.Equal(want.LinkTarget, got.LinkTarget);
        Assert.Equal(want.Xattrs.Select(x => (x.Key, x.Value)), got.Xattrs.Select(x => (x.Key, x.Value)));
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var nodes = Sample();
        var decoded = DirectoryCodec.Decode(DirectoryCodec.Encode(nodes), "test");
        Assert.Equal(nodes.Count, decoded.Count);
        for (int i = 0; i < nodes.Count; i++) AssertSame(nodes[i], decoded[i]);
    }

    [Fact]
    public void EqualDirectoriesEncodeEqually() =>
        Assert.Equal(DirectoryCodec.Encode(Sample()), DirectoryCodec.Encode(Sample()));

    [Fact]
    public void UnsortedOrDuplicateNamesAreRefused()
    {
        var nodes = Sample();
        Assert.Throws<ArgumentException>(() => DirectoryCodec.Encode([nodes[1], nodes[0]]));
        Assert.Throws<ArgumentException>(() => DirectoryCodec.Encode([nodes[0], nodes[0]]));
    }

    [Fact]
    public void TruncatedDirectoryThrowsNamingIt()
    {
        var bytes = DirectoryCodec.Encode(Sample());
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            try { DirectoryCodec.Decode(bytes.AsSpan(0, cut), "dir-1234"); }
            catch (InvalidDataException e) { Assert.Contains("directory dir-1234", e.Message); continue; }
            // Cutting at an entry boundary leaves a valid, shorter directory; anything else must throw.
            Assert.True(DirectoryCodec.Decode(bytes.AsSpan(0, cut), "x").Count < Sample().Count, $"cut at {cut} decoded everything");
        }
    }

    [Fact]
    public void DamagedBytesThrowInvalidDataNeverAnythingElse()
    {
        var bytes = DirectoryCodec.Encode(Sample());
        var rng = new Random(12);
        int threw = 0;
        for (int i = 0; i < 5000; i++)
        {
            var damaged = (byte[])bytes.Clone();
            for (int k = rng.Next(1, 4); k > 0; k--) damaged[rng.Next(damaged.Length)] = (byte)rng.Next(256);
            try { DirectoryCodec.Decode(damaged, "fuzzed"); }
            catch (InvalidDataException e) { Assert.Contains("directory fuzzed", e.Message); threw++; }
        }
        Assert.True(threw > 500);
    }

    [Theory]
    [InlineData(new byte[] { 2 }, "unknown directory version")]
    [InlineData(new byte[] { }, "empty")]
    [InlineData(new byte[] { 1, 1, (byte)'/', 1 }, "invalid entry name")]
    [InlineData(new byte[] { 1, 2, (byte)'.', (byte)'.', 1 }, "invalid entry name")]
    [InlineData(new byte[] { 1, 1, (byte)'a', 9 }, "unknown file kind")]
    [InlineData(new byte[] { 1, 1, (byte)'a', 7 }, "unknown file kind")] // sockets are never stored
    public void SpecificDamageIsNamed(byte[] bytes, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => DirectoryCodec.Decode(bytes, "abc123"));
        Assert.Contains("directory abc123", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
