// `timetravel forget`: removes snapshots from the catalog, under the writer lock, in one of three forms:
//   forget SNAPSHOT... [--force]       the named snapshots, exactly (name, id, or `latest`, never a prefix); forgetting
//                                      every remaining snapshot needs --force; a pinned one is refused (unpin it first)
//   forget --keep-daily 7 ...          what a retention policy does not keep (ForgetByPolicy)
//   forget --policy                    the same with the policy saved with the store (`timetravel policy set`)
// All take --dry-run and --json, and each forget removes all it names or none. The blocks stay in the arenas until
// garbage collection, so the store does not shrink by itself.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Retention;

namespace TimeTravel.Cli.Commands;

public static class ForgetCommand
{
    public const string BlocksStay = "their blocks stay in the arenas until `timetravel gc` frees what no kept snapshot uses";

    public static Command Create()
    {
        var snapshots = new Argument<string[]>("snapshot") { Description = "Snapshot names, ids, or latest", Arity = ArgumentArity.ZeroOrMore };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what would be forgotten (and, for a policy, why each snapshot is kept), change nothing" };
        var force = new Option<bool>("--force") { Description = "Allow forgetting every remaining snapshot by name" };
        var saved = new Option<bool>("--policy") { Description = "Apply the retention policy saved with the store (`timetravel policy set`); with none, forget nothing" };
        var rules = new RetentionOptions();
        var json = CommonOptions.Json();
        var cmd = new Command("forget", "Remove snapshots from the catalog, by name or by a retention policy (their blocks stay in the store)")
            { snapshots, dryRun, force, saved, json };
        foreach (var o in rules.All) cmd.Options.Add(o);
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = r.GetValue(CommonOptions.Store)!;
            bool dry = r.GetValue(dryRun), asJson = r.GetValue(json);
            var names = r.GetValue(snapshots) ?? [];
            var policy = rules.From(r);
            bool useSaved = r.GetValue(saved);
            if ((names.Length > 0 ? 1 : 0) + (policy is null ? 0 : 1) + (useSaved ? 1 : 0) != 1)
                throw new StoreException(names.Length + (policy is null ? 0 : 1) + (useSaved ? 1 : 0) == 0
                    ? "name the snapshots to forget, or give --keep-* rules, or --policy for the saved policy; nothing was forgotten"
                    : "give snapshot names, --keep-* rules or --policy, only one of them; nothing was forgotten");
            if (r.GetValue(force) && names.Length == 0)
                throw new StoreException("--force is for forgetting named snapshots (a policy always keeps the newest); nothing was forgotten");
            using var repo = dry ? Repository.OpenReader(store) : Repository.OpenWriter(store, "timetravel forget");
            if (names.Length > 0) return ForgetNamed(repo, names, dry, r.GetValue(force), asJson);
            if (useSaved)
            {
                policy = SavedPolicy.Of(repo);
                if (policy is null) return ForgetByPolicy.NoSavedPolicy(repo, dry, asJson);
            }
            return ForgetByPolicy.Run(repo, policy!, dry, asJson);
        }));
        return cmd;
    }

    private static int ForgetNamed(Repository repo, string[] names, bool dry, bool force, bool asJson)
    {
        var all = repo.Catalog.Snapshots();
        var chosen = new List<SnapshotRecord>();
        foreach (var spec in names)
        {
            var s = repo.MatchSnapshot(all, spec, allowPrefix: false) ?? throw new StoreException($"no snapshot '{spec}' in {repo.Layout.Root} (names and ids must match exactly); nothing was forgotten");
            Repository.RequireOwn(s, "forget"); // another host's snapshot is its host's to forget
            if (!chosen.Contains(s)) chosen.Add(s);
        }
        // A pin is a hold (a checkpoint, a legal hold): forgetting the snapshot takes a deliberate unpin first.
        if (chosen.FirstOrDefault(s => s.Pin is not null) is { } pinned)
            throw new StoreException($"{pinned.Name} (id {pinned.Id}) is pinned{PinCommand.NoteSuffix(pinned.Pin!)}; unpin it first (`timetravel unpin {pinned.Name}`); nothing was forgotten");
        int own = all.Count(s => s.Host is null);
        if (chosen.Count == own && !force)
            throw new StoreException($"that would forget every snapshot in {repo.Layout.Root}; add --force to do so; nothing was forgotten");
        if (!dry) repo.Forget(chosen); // all or none
        if (asJson)
        {
            JsonOut.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("dryRun", dry);
                w.WriteStartArray("forgotten");
                foreach (var s in chosen) ListCommand.WriteSnapshot(w, s);
                w.WriteEndArray();
                w.WriteNumber("remaining", own - chosen.Count);
                w.WriteString("note", BlocksStay);
                w.WriteEndObject();
            });
            return CommonOptions.Ok;
        }
        foreach (var s in chosen) Console.WriteLine($"{(dry ? "would forget" : "forgot")} {s.Name} (id {s.Id}, {s.Time:yyyy-MM-dd HH:mm:ss zzz})");
        Console.WriteLine($"{own - chosen.Count} snapshots remain; {BlocksStay}");
        return CommonOptions.Ok;
    }
}
