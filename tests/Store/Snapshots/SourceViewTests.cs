// A source read from a btrfs snapshot reports what the live tree would: the live device (hard-link ids are made of
// device and inode), and a nested subvolume's placeholder is known for what it is.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Snapshots;

public sealed class SourceViewTests
{
    private static readonly SourceView View = new("/srv", "/srv/.timetravel-consistent/store-1", ViewDevice: 44, LiveDevice: 42, NestedPlaceholderInode: 2);

    private static FileStatus Status(ulong device, ulong inode, uint mode = 0x81A4, ulong links = 2) =>
        new(device, inode, links, mode, 0, 0, 0, 10, 8, 1, 1, 1);

    [Fact]
    public void AHardLinkedFileInTheCopyGetsTheLinkIdItHasLive()
    {
        var inCopy = Status(44, 300);
        Assert.Equal(Node.FromStatus("f"u8.ToArray(), Status(42, 300)).LinkId, Node.FromStatus("f"u8.ToArray(), View.Live(inCopy)).LinkId);
        Assert.NotEqual(Node.FromStatus("f"u8.ToArray(), Status(42, 300)).LinkId, Node.FromStatus("f"u8.ToArray(), inCopy).LinkId);
    }

    [Fact]
    public void AnotherDeviceIsLeftAsItIs() => Assert.Equal(43UL, View.Live(Status(43, 300)).Device);

    [Fact]
    public void ANestedSubvolumesPlaceholderIsADirectoryWithInodeTwoOnAnyDevice()
    {
        Assert.True(View.IsNestedPlaceholder(Status(41, 2, mode: 0x41ED)));
        Assert.False(View.IsNestedPlaceholder(Status(44, 2)));               // not a directory
        Assert.False(View.IsNestedPlaceholder(Status(44, 257, mode: 0x41ED)));
        Assert.False((View with { NestedPlaceholderInode = 0 }).IsNestedPlaceholder(Status(41, 2, mode: 0x41ED)));
    }
}
