// The one step of a collection taken under the writer lock, so it is short: it grows with what snapshots wrote during
// the collection, not with the store. The manifest (M1) and catalog (K1) are read again; snapshots committed since the
// collection's first read of the catalog are marked with the same mark bits (what is already marked is skipped); a
// block they reach that sits in a victim and was not copied — a snapshot deduplicated against content the mark had
// found dead — is revived: copied now into the compacted arena and indexed in a small extra segment. Segments the
// writer made since M0 are filtered of victim locations (rewritten only when they hold any). Then the new segments
// are moved into the index directory and the new manifest saved: that rename is the switch.
using System.Diagnostics;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Index;

namespace TimeTravel.Store.Collection;

public sealed record SwitchResult(IndexManifest Manifest, IReadOnlyList<string> ReplacedSegments, long RevivedBlocks,
    int SnapshotsMarked, TimeSpan UnderLock, bool Waited);

public sealed class IndexSwitch(Repository repo, MarkSet marks, Compactor compactor, RelocationList relocations,
    IReadOnlySet<uint> victims, IndexManifest m0, IReadOnlySet<long> k0, string gcSegmentPath, CollectionState state,
    Action<string>? report)
{
    public SwitchResult Run()
    {
        var layout = repo.Layout;
        bool waited = false;
        using var writerLock = WriterLock.AcquireWaiting(layout, WriterLock.GcPurpose, holder =>
        {
            waited = true;
            report?.Invoke($"waiting for {holder} to finish before switching the index");
        });
        var clock = Stopwatch.StartNew();
        GcPause.At("locked");
        var m1 = IndexManifest.Load(layout.Index);
        repo.Blocks.Index.Refresh(force: true);
        var (k1, damaged, _) = repo.Catalog.ReadSnapshots();
        if (damaged.Count > 0)
            throw new StoreException($"{layout.Catalog}: snapshot record {damaged[0].Id} is damaged ({damaged[0].Problem}); gc cannot tell which blocks it uses, so it changed nothing");

        // Snapshots committed during the collection: mark them, reviving what they use from the victims.
        var revived = new RelocationList(CollectionState.DirectoryOf(layout), "revived");
        var marker = new Marker(marks, Collector.LocateLater(repo), Collector.ReadFor(repo)) { NewlyLive = Revive };
        var added = k1.Where(s => !k0.Contains(s.Id)).ToList();
        foreach (var s in added) marker.MarkSnapshot(s);
        foreach (var score in Collector.LiveRecordScores(repo)) marker.MarkBlock(score, "catalog record");
        compactor.Sync();

        void Revive(MarkSlot slot)
        {
            if (!victims.Contains(slot.Entry.Location.Arena)) return;
            revived.Add(slot.Entry.Score, compactor.Copy(slot.Entry.Location, slot.Entry.Score));
        }

        // The work files, named as index segments now (under the lock no writer picks the same numbers).
        string work = CollectionState.DirectoryOf(layout);
        uint number = BlockIndex.NextSegmentNumber(layout.Index);
        var moves = new List<(string From, string Name)>();
        string Claim(string from) { var name = BlockIndex.SegmentName(number++); moves.Add((from, name)); return name; }

        var names = new List<string> { Claim(gcSegmentPath) };
        var m0Names = m0.Segments.ToHashSet();
        int filtered = 0;
        foreach (var name in m1.Segments.Where(n => !m0Names.Contains(n)))
        {
            using var seg = IndexSegment.Open(Path.Combine(layout.Index, name));
            if (!IndexBuilder.Touches(seg, victims)) { names.Add(name); continue; }
            string path = Path.Combine(work, $"filtered-{filtered++}.tti");
            var relocated = SortedMerge.Merge([relocations.Sorted(), revived.Sorted()]).Select(x => x.Entry);
            IndexBuilder.Build(path, [seg.Entries()], seg.Count, victims, relocated);
            names.Add(Claim(path));
        }
        if (revived.Count > 0)
        {
            string path = Path.Combine(work, "revived.tti");
            IndexSegment.Write(path, revived.Sorted(), revived.Count);
            names.Add(Claim(path));
        }
        var manifest = new IndexManifest(m1.WatermarkArena, m1.WatermarkOffset, names, state.Generation);
        var replaced = m1.Segments.Where(n => !names.Contains(n)).ToList();

        (state with
        {
            Phase = CollectionPhase.Switching, Victims = victims.Order().ToList(),
            NewSegments = moves.Select(m => m.Name).ToList(), ReplacedSegments = replaced,
        }).Save(layout);
        foreach (var (from, name) in moves) File.Move(from, Path.Combine(layout.Index, name));
        Posix.PosixFs.FsyncDirectory(layout.Index);
        manifest.Save(layout.Index); // the switch
        revived.Dispose();
        return new SwitchResult(manifest, replaced, revived.Count, added.Count, clock.Elapsed, waited);
    }
}
