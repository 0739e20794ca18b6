// `timetravel apt-hook pre|post`, run by APT's DPkg::Pre-Invoke / DPkg::Post-Invoke (cli/apt/80timetravel) and by
// dpkg's own pre-invoke / post-invoke for a plain `dpkg -i` (cli/apt/dpkg.cfg): pre takes a checkpoint noted with the
// package manager's command line, post a snapshot that names it and notes the packages dpkg changed. It never fails
// the package manager: every error is logged and the exit status is 0; a store locked by another writer is waited
// for a bounded time, then given up on; nothing is ever asked; a machine without the store is left alone.
using TimeTravel.Cli.Checkpoints;
using TimeTravel.Store;

namespace TimeTravel.Cli.Apt;

public sealed record AptHookOptions(string Store, string Phase, string? LogFile, TimeSpan LockPatience, string DpkgLogPath);

public static class AptHook
{
    public static int Run(AptHookOptions o)
    {
        var log = new HookLog(o.LogFile);
        try
        {
            var layout = new StoreLayout(o.Store);
            if (!File.Exists(layout.Config)) return 0; // no store here: nothing to do, and nothing to say on every apt run
            switch (o.Phase)
            {
                case "pre": Pre(o, layout, log); break;
                case "post": Post(o, layout, log); break;
                default: log.Say($"apt-hook: '{o.Phase}' is neither pre nor post; nothing done"); break;
            }
        }
        catch (Exception e)
        {
            log.Say($"apt-hook {o.Phase} failed: {e.GetType().Name}: {e.Message}; the package manager goes on");
        }
        return 0;
    }

    private static void Pre(AptHookOptions o, StoreLayout layout, HookLog log)
    {
        string note = PackageManagerCommandLine.Find();
        long offset = DpkgLog.End(o.DpkgLogPath);
        using var repo = OpenPatiently(o, log);
        if (repo is null) return;
        var s = Checkpoint.Take(repo, note);
        new PendingPre(s.Id, o.DpkgLogPath, offset).Save(layout);
        log.Say($"apt-hook pre: checkpoint {s.Name} (id {s.Id}, pinned): {note}");
    }

    private static void Post(AptHookOptions o, StoreLayout layout, HookLog log)
    {
        PendingPre? pending = null;
        try { pending = PendingPre.Load(layout); }
        catch (InvalidDataException e) { log.Say(e.Message); }
        using var repo = OpenPatiently(o, log);
        if (repo is null) return;
        var pre = pending is null ? null : repo.Catalog.Snapshots().FirstOrDefault(s => s.Id == pending.PreId);
        string note = pending is null ? "packages unknown: no pre checkpoint was taken"
            : DpkgLog.Note(DpkgLog.ActionsSince(pending.DpkgLog, pending.DpkgLogOffset));
        if (pending is not null && pre is null) note += $" (its pre checkpoint, id {pending.PreId}, is gone)";
        var s = Checkpoint.TakePost(repo, pre?.Id ?? 0, note);
        if (pending is not null) PendingPre.Clear(layout);
        log.Say($"apt-hook post: snapshot {s.Name} (id {s.Id}){(pre is null ? "" : $", post of {pre.Name}")}: {note}");
    }

    // Another writer (a timer's snapshot, a gc switch) may hold the lock: try again each second up to the patience.
    private static Repository? OpenPatiently(AptHookOptions o, HookLog log)
    {
        var deadline = DateTime.UtcNow + o.LockPatience;
        bool said = false;
        while (true)
        {
            try { return Repository.OpenWriter(o.Store, $"timetravel apt-hook {o.Phase}"); }
            catch (StoreLockedException e)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    log.Say($"apt-hook {o.Phase}: gave up after {o.LockPatience.TotalSeconds:0} s: {e.Message}; no {(o.Phase == "pre" ? "checkpoint" : "snapshot")} taken, the package manager goes on");
                    return null;
                }
                if (!said) { log.Say($"apt-hook {o.Phase}: waiting up to {o.LockPatience.TotalSeconds:0} s: {e.Message}"); said = true; }
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(50, (deadline - DateTime.UtcNow).TotalMilliseconds))));
            }
        }
    }
}
