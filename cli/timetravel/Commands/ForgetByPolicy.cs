// The policy form of `timetravel forget`: plans the policy over every snapshot (RetentionPlan, periods in the store's
// zone) and forgets what it does not keep, in one catalog transaction, under the writer lock taken before the plan
// so no snapshot can be committed between plan and forget. A dry run prints the plan: each snapshot, keep or
// forget, and every rule that keeps it.
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Naming;
using TimeTravel.Store.Retention;

namespace TimeTravel.Cli.Commands;

public static class ForgetByPolicy
{
    public static int Run(Repository repo, RetentionPolicy policy, bool dry, bool asJson)
    {
        var all = repo.OwnSnapshots(); // retention plans for this host only: another host's snapshots are its own to keep
        var byId = all.ToDictionary(s => s.Id);
        var plan = RetentionPlan.Make(policy, all.Select(RetentionCandidate.Of), StoreZone.Of(repo), DateTimeOffset.Now);
        var forgotten = plan.Removed.Select(d => byId[d.Snapshot.Id]).OrderBy(s => s.Time).ThenBy(s => s.Id).ToList();
        if (!dry && forgotten.Count > 0) repo.Forget(forgotten); // all or none
        // Oldest first, as `list` shows them.
        var decisions = plan.Decisions.Reverse().ToList();
        if (asJson)
        {
            JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("dryRun", dry);
                w.WriteString("policy", policy.ToString());
                w.WriteString("description", policy.Describe());
                w.WriteStartArray("kept");
                foreach (var d in decisions.Where(d => d.Keep))
                    ListCommand.WriteSnapshot(w, byId[d.Snapshot.Id], w =>
                    {
                        w.WriteStartArray("reasons");
                        foreach (var reason in d.Reasons) w.WriteStringValue(reason);
                        w.WriteEndArray();
                    });
                w.WriteEndArray();
                w.WriteStartArray("forgotten");
                foreach (var s in forgotten) ListCommand.WriteSnapshot(w, s);
                w.WriteEndArray();
                w.WriteNumber("remaining", all.Count - forgotten.Count);
                w.WriteString("note", ForgetCommand.BlocksStay);
                w.WriteEndObject();
            });
            return CommonOptions.Ok;
        }
        Console.WriteLine($"policy: {policy.Describe()}");
        foreach (var d in decisions)
        {
            var s = byId[d.Snapshot.Id];
            string what = d.Keep ? (dry ? "would keep  " : "keep  ") : (dry ? "would forget" : "forgot");
            Console.WriteLine($"{what} {s.Name} (id {s.Id}, {s.Time:yyyy-MM-dd HH:mm:ss zzz}){(d.Keep ? ": " + string.Join(", ", d.Reasons) : "")}");
        }
        Console.WriteLine(forgotten.Count == 0
            ? $"{all.Count} snapshots kept, none {(dry ? "would be " : "")}forgotten"
            : $"{all.Count - forgotten.Count} snapshots kept, {forgotten.Count} {(dry ? "would be " : "")}forgotten; {ForgetCommand.BlocksStay}");
        return CommonOptions.Ok;
    }

    /// <summary>`forget --policy` on a store with no saved policy: nothing is removed automatically, and that is no error.</summary>
    public static int NoSavedPolicy(Repository repo, bool dry, bool asJson)
    {
        string message = $"no retention policy is saved in {repo.Layout.Root}: nothing is removed automatically (`timetravel policy set` saves one)";
        if (asJson)
        {
            JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("dryRun", dry);
                w.WriteNull("policy");
                w.WriteStartArray("forgotten");
                w.WriteEndArray();
                w.WriteNumber("remaining", repo.OwnSnapshots().Count);
                w.WriteString("note", message);
                w.WriteEndObject();
            });
            return CommonOptions.Ok;
        }
        Console.WriteLine(message);
        return CommonOptions.Ok;
    }
}
