// Finishing or undoing an interrupted collection from its state file: before the switch (the manifest's gc
// generation is below the collection's) its compacted arenas and segments go; after it, the victims and the replaced
// segments go — also when a later tier merge has swallowed the collection's own segment. The state is idle after.
using TimeTravel.Store;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Collection;
using TimeTravel.Store.Index;
using Xunit;

namespace TimeTravel.Tests.Store.Collection;

public sealed class CollectionRecoveryTests : IDisposable
{
    private readonly TempDir _dir = new("tt-gcrec");
    private readonly StoreLayout _layout;
    private const uint C = ArenaFormat.FirstCompactedArena;

    public CollectionRecoveryTests()
    {
        Repository.Init(_dir["store"]).Dispose();
        _layout = new StoreLayout(_dir["store"]);
    }

    public void Dispose() => _dir.Dispose();

    private string Arena(uint n) => Path.Combine(_layout.Arenas, ArenaFormat.FileName(n));

    private void MakeArena(uint n) => File.WriteAllBytes(Arena(n), new ArenaHeader(n, 0, 1 << 20).Pack());

    private void Manifest(long generation, params string[] segments) =>
        new IndexManifest(3, ArenaFormat.HeaderSize, segments, generation).Save(_layout.Index);

    [Fact]
    public void A_collection_killed_while_copying_loses_its_compacted_arenas_and_keeps_every_other()
    {
        foreach (uint n in new[] { 1u, 2u, C, C + 1, C + 2 }) MakeArena(n);
        Manifest(1);
        new CollectionState { Phase = CollectionPhase.Copying, Generation = 2, NextArena = C + 1, FirstNewArena = C + 1 }.Save(_layout);
        var did = CollectionRecovery.Recover(_layout);
        Assert.Contains("undid", did);
        Assert.True(File.Exists(Arena(1)) && File.Exists(Arena(2)) && File.Exists(Arena(C)));
        Assert.False(File.Exists(Arena(C + 1)) || File.Exists(Arena(C + 2)));
        var state = CollectionState.Load(_layout);
        Assert.Equal(CollectionPhase.Idle, state.Phase);
        Assert.Equal(C + 3, state.NextArena); // numbers are not reused, even those of an undone collection
    }

    [Fact]
    public void A_collection_killed_before_its_manifest_was_saved_is_undone_with_its_installed_segments()
    {
        MakeArena(1); MakeArena(C);
        Manifest(0, "00000001.tti");
        File.WriteAllText(Path.Combine(_layout.Index, "00000002.tti"), "renamed in, never named");
        new CollectionState
        {
            Phase = CollectionPhase.Switching, Generation = 1, NextArena = C, FirstNewArena = C,
            Victims = [1], NewSegments = ["00000002.tti"], ReplacedSegments = ["00000001.tti"],
        }.Save(_layout);
        Assert.Contains("undid", CollectionRecovery.Recover(_layout));
        Assert.True(File.Exists(Arena(1)));
        Assert.False(File.Exists(Arena(C)));
        Assert.False(File.Exists(Path.Combine(_layout.Index, "00000002.tti")));
    }

    [Fact]
    public void A_collection_killed_after_its_switch_is_finished_even_when_a_merge_swallowed_its_segment()
    {
        MakeArena(1); MakeArena(2); MakeArena(C);
        File.WriteAllText(Path.Combine(_layout.Index, "00000001.tti"), "replaced");
        Manifest(4, "00000009.tti"); // generation 4 reached; the collection's 00000002.tti merged into 00000009.tti since
        new CollectionState
        {
            Phase = CollectionPhase.Switching, Generation = 4, NextArena = C, FirstNewArena = C,
            Victims = [1, 2], NewSegments = ["00000002.tti"], ReplacedSegments = ["00000001.tti"],
        }.Save(_layout);
        Assert.Contains("finished", CollectionRecovery.Recover(_layout));
        Assert.False(File.Exists(Arena(1)) || File.Exists(Arena(2)));
        Assert.True(File.Exists(Arena(C)));
        Assert.False(File.Exists(Path.Combine(_layout.Index, "00000001.tti")));
        Assert.Equal(CollectionPhase.Idle, CollectionState.Load(_layout).Phase);
    }

    [Fact]
    public void The_manifest_keeps_its_gc_generation_and_an_uncollected_store_keeps_writing_version_1()
    {
        Manifest(0, "00000001.tti");
        Assert.StartsWith("timetravel-index 1\n", File.ReadAllText(Path.Combine(_layout.Index, "manifest")));
        Manifest(7, "00000001.tti");
        Assert.Equal(7, IndexManifest.Load(_layout.Index).GcGeneration);
    }
}
