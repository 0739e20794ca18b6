// The host level of the mount as plain data, no mount: a store with only its own host's snapshots lists them at the
// root exactly as RootListing does; one that holds other hosts' snapshots lists a directory per host (its own first,
// under its name), and in each that host's snapshots, day links and `latest`, even where two hosts share a name.
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class MountListingTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.Utc;

    private static SnapshotRecord At(long id, string name, string? host) => new()
    {
        Id = id, Name = name, Host = host, Sources = ["/etc"], Stats = new SnapshotStats(),
        Time = DateTimeOffset.ParseExact(name, "yyyy-MM-dd_HHmm", null, System.Globalization.DateTimeStyles.AssumeUniversal),
        Root = new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED },
    };

    private static string[] Names(IEnumerable<RootEntry> entries) => entries.Select(e => e.Name).ToArray();

    [Fact]
    public void OneHostsSnapshotsAreListedAtTheRootAsAlways()
    {
        var own = new[] { At(1, "2026-12-01_1400", null), At(2, "2026-12-02_1400", null) };
        var listing = MountListing.Build(own, Zone, "here");
        Assert.False(listing.Hosted);
        Assert.Equal(Names(RootListing.Build(own, Zone)), Names(listing.Root));
    }

    [Fact]
    public void AnotherHostsSnapshotsPutEveryHostInADirectoryOfItsOwn()
    {
        var all = new[]
        {
            At(1, "2026-12-01_1400", null), At(2, "2026-12-02_1400", "web1"), At(3, "2026-12-02_1400", null),
            At(4, "2026-12-03_0900", "db"), At(5, "2026-12-03_1000", "web1"),
        };
        var listing = MountListing.Build(all, Zone, "here");
        Assert.True(listing.Hosted);
        Assert.Equal(["here", "db", "web1"], Names(listing.Root));
        Assert.All(listing.Root, e => Assert.Equal(RootEntryKind.Host, e.Kind));
        Assert.Equal([3L, 4L, 5L], listing.Root.Select(e => e.Snapshot.Id)); // each host's newest, for its times
        Assert.Equal(["2026-12-01", "2026-12-01_1400", "2026-12-02", "2026-12-02_1400", "latest"], Names(listing.Hosts["here"]));
        Assert.Equal(["2026-12-02", "2026-12-02_1400", "2026-12-03", "2026-12-03_1000", "latest"], Names(listing.Hosts["web1"]));
        Assert.Equal(2, listing.Hosts["web1"].Single(e => e.Name == "2026-12-02_1400").Snapshot.Id); // web1's, not the own one of that name
        Assert.Equal("2026-12-03_0900", listing.Hosts["db"].Single(e => e.Name == "latest").Target);
    }

    [Fact]
    public void AnOwnHostWithoutSnapshotsYetHasNoDirectory()
    {
        var listing = MountListing.Build([At(1, "2026-12-02_1400", "web1")], Zone, "here");
        Assert.Equal(["web1"], Names(listing.Root));
    }
}
