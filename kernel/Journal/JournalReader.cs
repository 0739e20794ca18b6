// Reads the journal between two cuts into a ChangeSet and decides whether it is complete, and who vouches for it.
//
// Completeness rule. The interval (since, until] is complete only when all of these hold:
//  1. 0 < since < until: there is an earlier cut (the first snapshot has nothing to compare with and walks
//     everything), and the journal did not begin again below it (a reset journal numbers its cuts from 1);
//  2. every segment since+1 .. until exists (not pruned), is undamaged and ends with its SnapshotCut;
//  3. no IncompleteMarker lies in the interval or in the confirmation window (below);
//  4. someone vouches for the whole interval, either
//     a. a tracker (when any tracker record lies in the interval or the window): it ran across the whole interval:
//        the confirmation window holds two Heartbeats, and neither the interval nor the window holds a
//        TrackerStarted or TrackerStopped. A session that heartbeats after the cut without a TrackerStarted inside
//        the interval had started before cut `since`, and, having written no TrackerStopped, ran throughout. A
//        crashed tracker is caught either way: if nothing restarts it, no heartbeat confirms the next cut; if
//        something does, its TrackerStarted lies in the interval. Its Watching record says which sources (roots,
//        exclude rules) it watched; or
//     b. FastVPS log imports (no tracker record at all): at least one `import-log` run finished inside the interval,
//        every run that began there finished, and all were complete. Which sources they filtered by is the
//        intersection of their records.
// The confirmation window is the start of segment until+1, up to its second Heartbeat. The tracker writes a
// heartbeat on each of its first two flushes after it sees a cut, and drains the kernel queue before each flush, so
// by the second heartbeat every change made before the cut is in the journal. Changes in the window are included
// (they are also in the next interval; re-examining a path twice is harmless).
// With requireTracker: false (tools and tests) only rules 1-3 apply.
// Whether a source is covered (watched, same exclude rules, same root) is decided with the catalog by the snapshot:
// see ChangeSet.SourceProblem.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

public sealed class JournalReader(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>The id of the most recent cut, or 0 when the journal has never been cut.</summary>
    public long LatestCut() => Math.Max(0, JournalDirectory.Current(Directory) - 1);

    /// <summary>The changes since cut <paramref name="sinceCut"/> (0: since the journal began) up to the latest cut.</summary>
    public ChangeSet ReadSince(long sinceCut, bool requireTracker = true) => ReadBetween(sinceCut, LatestCut(), requireTracker);

    public ChangeSet ReadBetween(long sinceCut, long untilCut, bool requireTracker = true)
    {
        var problems = new List<string>();
        bool allSources = false;
        var incompleteSources = new HashSet<string>();
        var changed = new HashSet<byte[]>(PathBytes.EqualityComparer);
        var subtrees = new HashSet<byte[]>(PathBytes.EqualityComparer);

        void Global(string why) { problems.Add(why); allSources = true; }

        ChangeSet Result(Coverage? coverage) => new()
        {
            SinceCut = sinceCut,
            UntilCut = untilCut,
            Problems = problems,
            AllSourcesIncomplete = allSources,
            IncompleteSources = incompleteSources,
            Changed = changed,
            Subtrees = subtrees,
            Coverage = coverage,
        };

        if (sinceCut <= 0) Global("no earlier cut: the first snapshot walks everything");
        else if (untilCut <= sinceCut)
        {
            Global($"journal was reset: cut {untilCut} is not after the previous snapshot's cut {sinceCut}");
            return Result(null);
        }

        var records = new List<JournalRecord>();
        for (long n = Math.Max(sinceCut, 0) + 1; n <= untilCut; n++)
        {
            var path = JournalDirectory.SegmentPath(Directory, n);
            if (!File.Exists(path)) { Global($"segment {n} is missing (pruned?)"); continue; }
            var segment = SegmentReader.Read(path, n);
            if (segment.Damage is not null) Global("journal damaged: " + segment.Damage);
            else if (segment.Records.LastOrDefault() is not SnapshotCut cut || cut.CutId != n) Global($"segment {n} does not end with its cut");
            records.AddRange(segment.Records);
        }

        var window = ConfirmationWindow(untilCut, out string? windowProblem);
        bool trackerSeen = window.Concat(records).Any(r => r.IsTrackerSession);
        bool byTracker = requireTracker && (trackerSeen || !records.Any(r => r is LogImported));
        if (byTracker && windowProblem is not null)
            Global(trackerSeen ? windowProblem : windowProblem + ", and no FastVPS log was imported since the previous snapshot");
        if (byTracker || windowProblem is null) records.AddRange(window);

        foreach (var record in records)
        {
            switch (record)
            {
                case ChangeEntry { Change: var c }:
                    changed.Add(c.Path);
                    if (c.Kind == ChangeKind.New) subtrees.Add(c.Path);
                    if (c.RenamedTo is not null) { changed.Add(c.RenamedTo); subtrees.Add(c.RenamedTo); }
                    break;
                case IncompleteMarker { Source: null } m:
                    Global($"{m.Reason} (at {m.Time:u})");
                    break;
                case IncompleteMarker m:
                    problems.Add($"{m.Source}: {m.Reason} (at {m.Time:u})");
                    incompleteSources.Add(PathBytes.Normalize(m.Source));
                    break;
                case TrackerStarted s when byTracker:
                    Global($"tracker started at {s.Time:u}, inside the interval");
                    break;
                case TrackerStopped s when byTracker:
                    Global($"tracker stopped{(s.Clean ? "" : " after an error")} at {s.Time:u}, inside the interval");
                    break;
            }
        }

        if (!requireTracker) return Result(null);
        if (byTracker)
        {
            var watching = records.OfType<Watching>().LastOrDefault();
            var delegated = records.OfType<ContentByRanges>().ToList();
            if (delegated.Select(d => d.RangeSession).Distinct().Count() > 1)
                Global("the range tracker restarted inside the interval");
            return Result(watching is null ? null : new Coverage("tracker", watching.Sources, RootsRecorded: true)
            {
                RangeSession = delegated.LastOrDefault()?.RangeSession ?? 0,
                RangeFsIds = delegated.SelectMany(d => d.FsIds).ToHashSet(),
            });
        }
        return Result(ImportCoverage(records.OfType<LogImported>().ToList(), Global));
    }

    /// <summary>Rule 4b: what a set of FastVPS imports vouches for, or null (with the reason given) when they do not.</summary>
    private static Coverage? ImportCoverage(List<LogImported> imports, Action<string> problem)
    {
        var finished = imports.Where(i => i.Finished).ToList();
        var unfinished = imports.Where(i => !i.Finished && !finished.Any(f => f.Run == i.Run)).ToList();
        if (unfinished.Count > 0) problem($"a FastVPS log import begun at {unfinished[0].Time:u} did not finish");
        if (finished.Any(i => !i.Complete)) problem("a FastVPS log import was incomplete (an unreadable file or a malformed line)");
        if (finished.Count == 0) { problem("no FastVPS log import finished since the previous snapshot"); return null; }

        var common = finished[0].Sources.Where(s => finished.All(i => i.Sources.Contains(s))).ToList();
        int files = finished.Sum(i => i.Files.Count);
        return new Coverage($"FastVPS log import ({files} file{(files == 1 ? "" : "s")})", common, RootsRecorded: false);
    }

    /// <summary>The records after cut <paramref name="untilCut"/> up to the second heartbeat, or a reason there is none.</summary>
    private List<JournalRecord> ConfirmationWindow(long untilCut, out string? problem)
    {
        var window = new List<JournalRecord>();
        var path = JournalDirectory.SegmentPath(Directory, untilCut + 1);
        problem = "no running tracker confirmed the cut";
        if (!File.Exists(path)) return window;
        var segment = SegmentReader.Read(path, untilCut + 1);
        int heartbeats = 0;
        foreach (var record in segment.Records)
        {
            window.Add(record);
            if (record is Heartbeat && ++heartbeats == 2) { problem = null; break; }
        }
        if (problem is not null && segment.Damage is not null) problem = "journal damaged: " + segment.Damage;
        return window;
    }

    /// <summary>Every record of every segment still on disk, in order; for tools and tests.</summary>
    public IEnumerable<SegmentContents> ReadAllSegments() =>
        JournalDirectory.Segments(Directory).Select(n => SegmentReader.Read(JournalDirectory.SegmentPath(Directory, n), n));
}
