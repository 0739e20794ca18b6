// Issue 4's correctness property: with the real `timetravel track` daemon running, a snapshot taken from the change
// journal must record exactly the tree a full walk records, whatever random changes came before.
//
// One tracker and one store serve all seeds; the source excludes "cache" and "*.tmp". Every seed's subtree src/s<i> is
// populated up front (with two hard links and excluded paths in each), before the first snapshot, and one snapshot
// absorbs the population's events. Round i applies seed i's random operations to src/s<i> (and to an outside
// directory beside the source: moves in and out, links across the boundary), then takes a journal snapshot and a
// `--full` snapshot and compares what they recorded under the source. Earlier and later subtrees stay untouched
// (reused without a stat) with their hard links.
//
// Which method each round uses is asserted, so no round can quietly compare a walk with a walk:
// - plain rounds (seed % 3 != 0) never involve a hard-linked file, but do touch directories holding some, move things
//   across the source boundary and touch excluded paths: they must be journal-based;
// - hard-link rounds (seed % 3 == 0) also link (inside, outside, into excluded directories), write through other
//   names and may move the source root away and back: they may fall back to a walk, but only for a reason the
//   mutator expected ("hard", "source root").
// Odd seeds cut right after their changes (the cut's heartbeats alone must make the journal complete); even seeds
// wait 1.2 s first.
using System.Diagnostics;
using System.Text;
using TimeTravel.Store.Posix;
using Xunit;
using Xunit.Abstractions;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]   // one fanotify tracker at a time from this file: they share a machine
[NeedsRoot]
[NeedsFanotify]
public sealed class IncrementalSnapshotPropertyTests(ITestOutputHelper output)
{
    private const int Seeds = 20;
    private const int OperationsPerSeed = 40;

    private static bool HardLinkRound(int seed) => seed % 3 == 0;

    [Fact]
    public void JournalSnapshotsEqualFullWalksUnderRandomChanges()
    {
        // TT_INCR_SEEDS="5,9" replays chosen seeds (each seed's changes depend on the seed alone).
        var seeds = Environment.GetEnvironmentVariable("TT_INCR_SEEDS") is { Length: > 0 } chosen
            ? chosen.Split(',').Select(int.Parse).ToList()
            : Enumerable.Range(1, Seeds).ToList();
        using var box = new IncrementalSnapshotSandbox();
        var outside = PathBytes.From(Path.Combine(box.Base, "outside"));
        Directory.CreateDirectory(PathBytes.Display(outside));
        byte[] Top(int seed) => PathBytes.Join(box.SourceBytes, Encoding.ASCII.GetBytes($"s{seed}"));

        var setupLogs = new Dictionary<int, List<string>>();
        foreach (var seed in seeds)
            new RandomTreeMutator(new Random(seed * 7919 + 17), Top(seed), box.SourceBytes, outside, true, setupLogs[seed] = [])
                .Populate(files: 25);
        box.Init([.. RandomTreeMutator.Excludes.SelectMany(e => new[] { "--exclude", e })]);
        var tracker = box.StartTracker();
        var clock = Stopwatch.StartNew();
        Assert.Equal("walk", box.Snapshot().Method);
        box.Absorb();

        int journalRounds = 0, plainRounds = 0;
        var fallbacks = new List<string>();
        var failures = new List<string>();
        foreach (var seed in seeds)
        {
            var ops = new List<string>();
            bool hardLinks = HardLinkRound(seed);
            if (!hardLinks) plainRounds++;
            var mutator = new RandomTreeMutator(new Random(seed), Top(seed), box.SourceBytes, outside, hardLinks, ops);
            for (int done = 0, tries = 0; done < OperationsPerSeed && tries < OperationsPerSeed * 10; tries++)
                if (mutator.Step()) done++;
            if (seed % 2 == 0) Thread.Sleep(1200);

            var journal = box.Snapshot();
            var full = box.Snapshot(full: true);
            Assert.Equal("walk", full.Method);

            string describe = $"seed {seed} ({(hardLinks ? "hard-link" : "plain")} round, ops on {box.Source}/s{seed})";
            string expected = mutator.Expect.Count == 0 ? "nothing" : string.Join(", ", mutator.Expect);
            if (journal.Method == "journal") journalRounds++;
            else if (mutator.Expect.Any(journal.Reason.Contains)) fallbacks.Add($"{describe}: {journal.Reason}");
            else failures.Add($"{describe}: fell back to a walk ({journal.Reason}), but the round expected {expected}" +
                              $"\noperations:\n  {string.Join("\n  ", ops)}");

            if (box.SourceNodeOf(journal.Name) != box.SourceNodeOf(full.Name))
            {
                var a = box.ListRecursive(journal.Name);
                var b = box.ListRecursive(full.Name);
                failures.Add($"{describe}: journal snapshot {journal.Name} ({journal.Method}: {journal.Reason}) recorded the source " +
                             $"unlike full walk {full.Name}\noperations:\n  {string.Join("\n  ", ops)}\n" +
                             $"ls -R --json diff (- journal, + full):\n{IncrementalSnapshotSandbox.Diff(a, b)}");
            }
        }

        output.WriteLine($"{seeds.Count} seeds x {OperationsPerSeed} operations in {clock.Elapsed.TotalSeconds:0.0} s: " +
                         $"{journalRounds} journal-based ({plainRounds} plain rounds), {fallbacks.Count} expected fallbacks");
        foreach (var f in fallbacks) output.WriteLine("fallback: " + f);
        if (failures.Count > 0) output.WriteLine("tracker log:\n" + tracker.Log);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(journalRounds >= plainRounds, $"only {journalRounds} rounds used the journal, fewer than the {plainRounds} plain rounds");
    }
}
