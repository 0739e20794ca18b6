// `timetravel gc`: frees the space of every block no kept snapshot references, online. Under gc.lock (never the
// writer lock but for the switch): recover an interrupted collection; read the index manifest (M0), then the catalog
// (K0); mark; plan; copy the victims' live records into compacted arenas (state file first); write the new index;
// switch under the writer lock (IndexSwitch); delete the victims last. docs/design.md, "Garbage collection".
using System.Diagnostics;
using TimeTravel.Store.Arenas;
using TimeTravel.Store.Index;
using TimeTravel.Store.Maintenance;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Collection;

public sealed record CollectionOptions
{
    public double Threshold { get; init; } = CollectionPlan.DefaultThreshold;
    public bool DryRun { get; init; }
    public Action<string>? Report { get; init; }
    public WorkProgress? Progress { get; init; }
}

public sealed record CollectionResult
{
    public bool DryRun { get; init; }
    public string? Recovered { get; init; }
    public int Snapshots { get; init; }
    public long LiveBlocks { get; init; }
    public long LiveBytes { get; init; }
    public long BlocksRead { get; init; }
    public required CollectionPlan Plan { get; init; }
    public long CopiedBlocks { get; init; }
    public long CopiedBytes { get; init; }
    public long RevivedBlocks { get; init; }
    public int SnapshotsMarkedAtSwitch { get; init; }
    public long StoreBytesBefore { get; init; }
    public long StoreBytesAfter { get; init; }
    public TimeSpan Elapsed { get; init; }
    public TimeSpan UnderWriterLock { get; init; }
    public long MarkBytes { get; init; }
    public long PeakMemoryBytes { get; init; }
    public long FreedBytes => StoreBytesBefore - StoreBytesAfter;
}

public static class Collector
{
    /// <summary>The catalog setting holding the default threshold (a fraction, "0.8").</summary>
    public const string ThresholdSetting = "gc-threshold";

    public static CollectionResult Run(string root, CollectionOptions options)
    {
        var clock = Stopwatch.StartNew();
        var layout = new StoreLayout(root);
        StoreConfig.Load(layout.Config);
        using var gcLock = GcLock.Acquire(layout);
        string? recovered = options.DryRun ? null : CollectionRecovery.Recover(layout);
        if (recovered is not null) options.Report?.Invoke(recovered);
        using var repo = Repository.OpenReader(root);
        long before = StoreBytes(layout);
        var progress = options.Progress ?? new WorkProgress();

        // M0, then K0: a snapshot committed in between has its blocks after M0 and is marked through the current index.
        repo.Blocks.Index.Refresh(force: true);
        var m0 = repo.Blocks.Index.Manifest;
        var marks = new MarkSet(repo.Blocks.Index.Segments.ToList());
        var (k0, damaged, _) = repo.Catalog.ReadSnapshots();
        if (damaged.Count > 0)
            throw new StoreException($"{layout.Catalog}: snapshot record {damaged[0].Id} is damaged ({damaged[0].Problem}); gc cannot tell which " +
                "blocks it uses, so it changes nothing (`timetravel verify` lists the damaged records)");
        var marker = new Marker(marks, LocateLater(repo), ReadFor(repo));
        progress.Begin("mark", k0.Count);
        foreach (var s in k0) { marker.MarkSnapshot(s); progress.Add(1, 0); }
        foreach (var score in LiveRecordScores(repo)) marker.MarkBlock(score, "catalog record");
        GcPause.At("marked");

        var (usages, liveBlocks, liveBytes) = Usage(repo, marks, m0);
        long indexBytes = m0.Segments.Sum(n => FileLength(Path.Combine(layout.Index, n)));
        long room = new DriveInfo(layout.Arenas).AvailableFreeSpace - indexBytes - Reserve;
        var plan = CollectionPlan.Make(usages, options.Threshold, Math.Max(0, room));
        foreach (var d in plan.Deferred)
            options.Report?.Invoke($"{repo.Blocks.Arenas.PathOf(d.Arena)}: left for a later gc: copying its {d.LiveBytes} live bytes needs more free space than the disk has now");
        var result = new CollectionResult
        {
            DryRun = options.DryRun, Recovered = recovered, Snapshots = k0.Count, LiveBlocks = liveBlocks, LiveBytes = liveBytes,
            BlocksRead = marker.BlocksRead, Plan = plan, StoreBytesBefore = before, StoreBytesAfter = before, MarkBytes = marks.Bytes,
        };
        if (options.DryRun || plan.Victims.Count == 0)
            return Finish(result, clock, before);
        GcPause.At("planned");

        var state = CollectionState.Load(layout);
        uint first = Math.Max(state.NextArena, CollectionRecovery.NextFreeCompacted(repo.Blocks.Arenas));
        state = state with
        {
            Phase = CollectionPhase.Copying, Generation = Math.Max(state.Generation, m0.GcGeneration) + 1,
            NextArena = first, FirstNewArena = first,
        };
        state.Save(layout);

        var victims = plan.Victims.Select(v => v.Arena).ToHashSet();
        string work = CollectionState.DirectoryOf(layout);
        string gcSegment = Path.Combine(work, $"index-{state.Generation}.tti");
        var compactor = new Compactor(repo.Blocks.Arenas, first, repo.Config.ArenaSize);
        var relocations = new RelocationList(work, "moved");
        SwitchResult switched;
        try
        {
            Copy(repo, plan, marks, compactor, relocations, progress);
            GcPause.At("copied");
            progress.Begin("index", marks.Segments.Sum(s => s.Count));
            IndexBuilder.Build(gcSegment, marks.Segments.Select(s => s.Entries()).ToList(), marks.Segments.Sum(s => s.Count), victims, relocations.Sorted());
            GcPause.At("indexed");
            progress.Begin("switch");
            switched = new IndexSwitch(repo, marks, compactor, relocations, victims, m0, k0.Select(s => s.Id).ToHashSet(),
                gcSegment, state, options.Report).Run();
        }
        catch (Exception e)
        {
            uint failedArena = compactor.CurrentArena ?? first;
            compactor.Dispose();
            relocations.Dispose();
            Undo(layout, e);
            if (e is IOException io && IsNoSpace(io))
                throw new StoreException($"{repo.Blocks.Arenas.PathOf(failedArena)}: the disk filled while gc copied " +
                    $"live blocks ({compactor.CopiedBytes} of {plan.CopyBytes} bytes copied; gc needs about {plan.CopyBytes + indexBytes} bytes " +
                    "free to rewrite these arenas); everything gc wrote was removed and nothing was lost", e);
            throw;
        }
        compactor.Dispose();
        relocations.Dispose();
        GcPause.At("switched");

        // Delete last: the victims (a reader holding a location in one re-resolves it through the new index) and the
        // segments the new manifest replaced.
        foreach (uint v in victims) { try { File.Delete(repo.Blocks.Arenas.PathOf(v)); } catch (FileNotFoundException) { } }
        foreach (var s in switched.ReplacedSegments) { try { File.Delete(Path.Combine(layout.Index, s)); } catch (FileNotFoundException) { } }
        Posix.PosixFs.FsyncDirectory(layout.Arenas);
        (state with { Phase = CollectionPhase.Idle, NextArena = compactor.NextArena, Victims = [], NewSegments = [], ReplacedSegments = [] }).Save(layout);

        return Finish(result with
        {
            CopiedBlocks = compactor.CopiedBlocks - switched.RevivedBlocks, CopiedBytes = compactor.CopiedBytes,
            RevivedBlocks = switched.RevivedBlocks, SnapshotsMarkedAtSwitch = switched.SnapshotsMarked, UnderWriterLock = switched.UnderLock,
        }, clock, before, layout);
    }

    /// <summary>
    /// What a gc would find now, without any lock or change (for `timetravel stats`): the mark of every kept snapshot
    /// and the plan at this threshold (no free-space limit).
    /// </summary>
    public static CollectionPlan Estimate(Repository repo, double threshold, WorkProgress? progress = null)
    {
        repo.Blocks.Index.Refresh(force: true);
        var m0 = repo.Blocks.Index.Manifest;
        var marks = new MarkSet(repo.Blocks.Index.Segments.ToList());
        var snapshots = repo.Catalog.Snapshots();
        var marker = new Marker(marks, LocateLater(repo), ReadFor(repo));
        progress?.Begin("mark", snapshots.Count);
        foreach (var s in snapshots) { marker.MarkSnapshot(s); progress?.Add(1, 0); }
        foreach (var score in LiveRecordScores(repo)) marker.MarkBlock(score, "catalog record");
        return CollectionPlan.Make(Usage(repo, marks, m0).Usages, threshold);
    }

    // Free space kept for everything else (the catalog, the writer) while gc copies.
    private const long Reserve = 64 << 20;

    private static CollectionResult Finish(CollectionResult r, Stopwatch clock, long before, StoreLayout? changed = null) => r with
    {
        StoreBytesAfter = changed is null ? before : StoreBytes(changed),
        Elapsed = clock.Elapsed,
        PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
    };

    // Undoes a collection that failed before its switch: the same as recovering from a kill at that point.
    private static void Undo(StoreLayout layout, Exception cause)
    {
        try { CollectionRecovery.Recover(layout); }
        catch (Exception e) when (e is IOException or StoreFormatException)
        {
            throw new StoreException($"{layout.Root}: gc failed ({cause.Message}) and could not remove what it wrote ({e.Message}); " +
                "the next gc finishes that; every snapshot is intact", cause);
        }
    }

    private static bool IsNoSpace(IOException e) =>
        Catalog.CatalogRoom.IsNoSpace(e) || e.HResult == 28 || e.Message.Contains("disk full", StringComparison.Ordinal);

    private static void Copy(Repository repo, CollectionPlan plan, MarkSet marks, Compactor compactor, RelocationList relocations, WorkProgress progress)
    {
        progress.Begin("copy", plan.Victims.Count, plan.Victims.Sum(v => v.TotalBytes));
        foreach (var v in plan.Victims)
        {
            long copied = 0;
            if (v.LiveBlocks > 0)
                compactor.CopyLive(v.Arena, rec => IsLiveRecord(marks, v.Arena, rec),
                    (score, to) => { relocations.Add(score, to); copied++; }, bytes => progress.Add(0, bytes));
            if (copied != v.LiveBlocks)
                throw new StoreException($"{repo.Blocks.Arenas.PathOf(v.Arena)}: {v.LiveBlocks - copied} live blocks the index places in this arena " +
                    "are not intact records in it; the store is damaged, so gc changes nothing (`timetravel verify --read-data` names them)");
            progress.Add(1, 0);
        }
        compactor.Sync();
    }

    private static bool IsLiveRecord(MarkSet marks, uint arena, Arenas.ScannedRecord rec) =>
        marks.TryLocate(rec.Header.Score, out var slot) && slot.InM0 && marks.IsLive(slot)
        && slot.Entry.Location.Arena == arena && slot.Entry.Location.Offset == rec.Offset;

    /// <summary>Live and total record bytes of every candidate arena (sealed appended ones, and compacted ones).</summary>
    private static (List<ArenaUsage> Usages, long LiveBlocks, long LiveBytes) Usage(Repository repo, MarkSet marks, IndexManifest m0)
    {
        var totals = new Dictionary<uint, (long Live, long Blocks)>();
        var candidates = repo.Blocks.Arenas.List().Where(n => ArenaFormat.IsCompacted(n) || n < m0.WatermarkArena).ToHashSet();
        long liveBlocks = 0, liveBytes = 0;
        foreach (var (entry, _, _, live) in marks.Entries())
        {
            if (!live) continue;
            liveBlocks++;
            liveBytes += entry.Location.RecordLength;
            if (!candidates.Contains(entry.Location.Arena)) continue;
            totals.TryGetValue(entry.Location.Arena, out var t);
            totals[entry.Location.Arena] = (t.Live + entry.Location.RecordLength, t.Blocks + 1);
        }
        var usages = candidates.Select(n =>
        {
            totals.TryGetValue(n, out var t);
            long total = Math.Max(0, FileLength(repo.Blocks.Arenas.PathOf(n)) - ArenaFormat.HeaderSize);
            return new ArenaUsage(n, total, t.Live, t.Blocks);
        }).ToList();
        return (usages, liveBlocks, liveBytes);
    }

    internal static Func<Score, IndexEntry?> LocateLater(Repository repo) =>
        score => repo.Blocks.TryLocate(score, out var loc) ? new IndexEntry(score, loc) : null;

    internal static Func<MarkSlot, byte[]> ReadFor(Repository repo) =>
        slot => slot.InM0 ? repo.Blocks.Arenas.Read(slot.Entry.Location, slot.Entry.Score, verifyScore: false) : repo.Blocks.Get(slot.Entry.Score);

    /// <summary>
    /// The catalog-record blocks to keep (docs/design.md, "gc keeps exactly the live records"). A forget record stays
    /// while a record it names is still indexed here; once this gc has dropped that one, the next drops the forget.
    /// </summary>
    internal static IEnumerable<Score> LiveRecordScores(Repository repo) => repo.LiveRecordScores(s => repo.Blocks.TryLocate(s, out _));

    /// <summary>Bytes of the store's files (arenas, index, catalog, journal, gc state).</summary>
    public static long StoreBytes(StoreLayout layout) =>
        Directory.EnumerateFiles(layout.Root, "*", SearchOption.AllDirectories).Sum(FileLength);

    private static long FileLength(string path)
    {
        try { return new FileInfo(path).Length; } catch (IOException) { return 0; }
    }
}
