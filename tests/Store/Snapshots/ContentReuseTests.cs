// The rule that decides whether a walk reads a file again, on nodes alone (docs/design.md, "What a walk re-reads").
using TimeTravel.Store.Posix;
using TimeTravel.Store.Snapshots;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Store.Snapshots;

public sealed class ContentReuseTests
{
    private static readonly FileStatus Recorded = new(Device: 2049, Inode: 100, Links: 1, Mode: 0x81A4, Uid: 1000, Gid: 1000,
        RDev: 0, Size: 4096, Blocks: 8, MTimeNs: 1_700_000_000_000_000_001, CTimeNs: 1_700_000_000_000_000_002, ATimeNs: 0);

    private static Node Of(FileStatus st) => Node.FromStatus("f"u8.ToArray(), st);

    [Fact]
    public void SameSizeMtimeAndCtimeReuse() => Assert.True(ContentReuse.Allowed(Of(Recorded), Of(Recorded)));

    [Fact]
    public void AChangeOfTheInodeNumberAloneIsNotReadAgain() =>
        Assert.True(ContentReuse.Allowed(Of(Recorded), Of(Recorded with { Inode = 555, Device = 2050 })));

    [Fact]
    public void ANewCtimeWithNothingVisibleToExplainItIsReadAgain() =>
        Assert.False(ContentReuse.Allowed(Of(Recorded), Of(Recorded with { CTimeNs = Recorded.CTimeNs + 1 })));

    [Theory]
    [InlineData("mode")]
    [InlineData("owner")]
    [InlineData("group")]
    [InlineData("links")]
    [InlineData("xattr")]
    public void ANewCtimeExplainedByAVisibleMetadataChangeReuses(string what)
    {
        var st = Recorded with { CTimeNs = Recorded.CTimeNs + 1 };
        st = what switch
        {
            "mode" => st with { Mode = 0x8180 },
            "owner" => st with { Uid = 0 },
            "group" => st with { Gid = 0 },
            "links" => st with { Links = 2 },
            _ => st,
        };
        var now = Of(st);
        if (what == "xattr") now.Xattrs = [new("user.x"u8.ToArray(), "1"u8.ToArray())];
        Assert.True(ContentReuse.Allowed(Of(Recorded), now));
    }

    [Fact]
    public void ADifferentSizeOrMtimeIsAlwaysReadAgain()
    {
        Assert.False(ContentReuse.Allowed(Of(Recorded), Of(Recorded with { Size = 4097 })));
        Assert.False(ContentReuse.Allowed(Of(Recorded), Of(Recorded with { MTimeNs = Recorded.MTimeNs + 1, Mode = 0x8180 })));
    }

    [Fact]
    public void AnUnstableOrUnreadableRecordingIsReadAgain()
    {
        var before = Of(Recorded);
        before.Flags = NodeFlags.Unstable;
        Assert.False(ContentReuse.Allowed(before, Of(Recorded)));
    }
}
