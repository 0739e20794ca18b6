// A store's zone is recorded once, by its first snapshot, and then fixes its names whatever zone a later writer or
// reader runs in; a store from before the zone was recorded is read in the system's zone, not the reader's.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Store.Naming;

public sealed class StoreZoneTests : IDisposable
{
    private readonly TempDir _dir = new("tt-zone");
    private readonly string _store;

    public StoreZoneTests()
    {
        _store = _dir["store"];
        Directory.CreateDirectory(_dir["src"]);
        using var repo = Repository.Init(_store);
        repo.Catalog.AddSource(new SourceRecord(_dir["src"], []));
    }

    public void Dispose() => _dir.Dispose();

    private string Snapshot(string time)
    {
        using var repo = Repository.OpenWriter(_store, "test");
        return new SnapshotWriter(repo, new SnapshotOptions { Time = DateTimeOffset.Parse(time) }).Run().Record.Name;
    }

    [Fact]
    public void TheFirstSnapshotRecordsTheZoneAndLaterNamesKeepToIt()
    {
        using (var repo = Repository.OpenReader(_store)) Assert.Null(repo.Catalog.Setting(StoreZone.Setting));
        using (var repo = Repository.OpenWriter(_store, "test")) repo.Catalog.SetSetting(StoreZone.Setting, "Europe/Berlin");
        Assert.Equal("2026-12-02_1857", Snapshot("2026-12-02T17:57:19Z"));
        Assert.Equal("2026-12-02_1958", Snapshot("2026-12-02T13:58:00-05:00")); // a writer elsewhere: still Berlin time
        using var reader = Repository.OpenReader(_store);
        Assert.Equal("Europe/Berlin", StoreZone.Of(reader).Id);
        Assert.Equal(TimeSpan.FromHours(1), reader.Catalog.Snapshots()[1].Time.Offset); // recorded in the store's zone too
    }

    [Fact]
    public void AStoreWithoutAZoneGetsTheWritersAndIsReadInTheSystemsUntilThen()
    {
        using (var repo = Repository.OpenReader(_store)) Assert.Equal(StoreZone.System().Id, StoreZone.Of(repo).Id);
        Snapshot("2026-12-02T17:57:19Z");
        using var reader = Repository.OpenReader(_store);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(TimeZoneInfo.Local.Id).Id, reader.Catalog.Setting(StoreZone.Setting));
    }

    [Fact]
    public void AZoneThisSystemDoesNotKnowIsAnErrorNamingTheSetting()
    {
        using (var repo = Repository.OpenWriter(_store, "test")) repo.Catalog.SetSetting(StoreZone.Setting, "Mars/Olympus_Mons");
        using var reader = Repository.OpenReader(_store);
        var e = Assert.Throws<StoreFormatException>(() => StoreZone.Of(reader));
        Assert.Contains("setting \"zone\"", e.Message);
        Assert.Contains("Mars/Olympus_Mons", e.Message);
    }
}
