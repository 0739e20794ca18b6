// `timetravel forget SNAPSHOT... [--dry-run] [--force] [--json]`: removes snapshots from the catalog, under the writer
// lock. Their blocks stay in the arenas (there is no garbage collection yet), so the store does not shrink; a later
// snapshot still deduplicates against them. A snapshot is named exactly (name, id, or `latest`), never by a prefix.
// Forgetting every remaining snapshot needs --force.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;

namespace TimeTravel.Cli.Commands;

public static class ForgetCommand
{
    public const string BlocksStay = "their blocks stay in the arenas until garbage collection exists (not in this version): the store does not shrink";

    public static Command Create()
    {
        var snapshots = new Argument<string[]>("snapshot") { Description = "Snapshot names, ids, or latest", Arity = ArgumentArity.OneOrMore };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Say what would be forgotten, change nothing" };
        var force = new Option<bool>("--force") { Description = "Allow forgetting every remaining snapshot" };
        var json = CommonOptions.Json();
        var cmd = new Command("forget", "Remove snapshots from the catalog (their blocks stay in the store)") { snapshots, dryRun, force, json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            string store = r.GetValue(CommonOptions.Store)!;
            bool dry = r.GetValue(dryRun);
            using var repo = dry ? Repository.OpenReader(store) : Repository.OpenWriter(store, "timetravel forget");
            var all = repo.Catalog.Snapshots();
            var chosen = new List<SnapshotRecord>();
            foreach (var spec in r.GetValue(snapshots)!)
            {
                var s = Find(all, spec) ?? throw new StoreException($"no snapshot '{spec}' in {repo.Layout.Root} (names and ids must match exactly); nothing was forgotten");
                if (!chosen.Contains(s)) chosen.Add(s);
            }
            if (chosen.Count == all.Count && !r.GetValue(force))
                throw new StoreException($"that would forget every snapshot in {repo.Layout.Root}; add --force to do so; nothing was forgotten");
            if (!dry) repo.Forget(chosen); // all or none
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteBoolean("dryRun", dry);
                    w.WriteStartArray("forgotten");
                    foreach (var s in chosen) ListCommand.WriteSnapshot(w, s);
                    w.WriteEndArray();
                    w.WriteNumber("remaining", all.Count - chosen.Count);
                    w.WriteString("note", BlocksStay);
                    w.WriteEndObject();
                });
                return CommonOptions.Ok;
            }
            foreach (var s in chosen) Console.WriteLine($"{(dry ? "would forget" : "forgot")} {s.Name} (id {s.Id}, {s.Time:yyyy-MM-dd HH:mm:ss zzz})");
            Console.WriteLine($"{all.Count - chosen.Count} snapshots remain; {BlocksStay}");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    private static SnapshotRecord? Find(List<SnapshotRecord> all, string spec) => Repository.MatchSnapshot(all, spec, allowPrefix: false);
}
