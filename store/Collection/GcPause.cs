// Test hook only: TIMETRAVEL_TEST_GC_PAUSE=PHASE:FILE makes gc stop at the named phase, create FILE.waiting, and wait
// until FILE exists, so a test can run a snapshot or a reader exactly between two steps of a collection (the race of a
// snapshot deduplicating against a block gc found dead must really happen, not by luck of timing). Phases, in order:
// marked, planned (victims chosen, nothing written yet), copied, indexed, locked (holding the writer lock, before the snapshots committed meanwhile are marked),
// switched (new manifest saved, victims not yet deleted). Unset in production: one environment read per phase.
namespace TimeTravel.Store.Collection;

public static class GcPause
{
    public const string Variable = "TIMETRAVEL_TEST_GC_PAUSE";

    public static void At(string phase)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } spec) return;
        int colon = spec.IndexOf(':');
        if (colon <= 0 || spec[..colon] != phase) return;
        string file = spec[(colon + 1)..];
        File.WriteAllText(file + ".waiting", $"{Environment.ProcessId}\n");
        while (!File.Exists(file)) Thread.Sleep(20);
    }
}
