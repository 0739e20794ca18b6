// `timetravel policy set --keep-... | show [--json] | clear`: the retention policy saved with the store (SavedPolicy),
// which the snapshot timer applies after each snapshot (`timetravel forget --policy`). Without one, nothing is ever
// removed automatically. `set` replaces the whole policy: the rules not given are not kept from the old one.
using System.CommandLine;
using TimeTravel.Cli.Output;
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Retention;

namespace TimeTravel.Cli.Commands;

public static class PolicyCommand
{
    private const string NoneSaved = "no retention policy is saved: nothing is removed automatically";

    public static Command Create()
    {
        var cmd = new Command("policy", "Save, show or clear the retention policy the snapshot timer applies") { Set(), Show(), Clear() };
        return cmd;
    }

    private static Command Set()
    {
        var rules = new RetentionOptions();
        var cmd = new Command("set", "Save a retention policy (replacing the saved one); `forget --policy` and the snapshot timer apply it");
        foreach (var o in rules.All) cmd.Options.Add(o);
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            var policy = rules.From(r) ?? throw new StoreException("give the policy's rules (--keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly, --keep-within); nothing was saved");
            using var repo = Repository.OpenWriter(CommonOptions.StoreRoot(r), "timetravel policy set");
            SavedPolicy.Save(repo, policy);
            Console.WriteLine($"saved: {policy}");
            Console.WriteLine($"{policy.Describe()}; `timetravel forget --policy --dry-run` shows what it would forget now");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    private static Command Show()
    {
        var json = CommonOptions.Json();
        var cmd = new Command("show", "Print the saved retention policy") { json };
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenReader(CommonOptions.StoreRoot(r));
            var policy = SavedPolicy.Of(repo);
            if (r.GetValue(json))
            {
                JsonOut.Write(w =>
                {
                    w.WriteStartObject();
                    if (policy is null) { w.WriteNull("policy"); w.WriteString("description", NoneSaved); }
                    else
                    {
                        w.WriteString("policy", policy.ToString());
                        w.WriteString("description", policy.Describe());
                        w.WriteStartObject("rules");
                        foreach (var (flag, count) in policy.Counts())
                            if (count != 0) w.WriteNumber(flag["--keep-".Length..], count);
                        if (!policy.Within.IsZero) w.WriteString("within", policy.Within.ToString());
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                });
                return CommonOptions.Ok;
            }
            Console.WriteLine(policy is null ? NoneSaved : $"{policy}\n{policy.Describe()}");
            return CommonOptions.Ok;
        }));
        return cmd;
    }

    private static Command Clear()
    {
        var cmd = new Command("clear", "Remove the saved retention policy: nothing is removed automatically any more");
        cmd.SetAction(r => CommonOptions.Run(() =>
        {
            using var repo = Repository.OpenWriter(CommonOptions.StoreRoot(r), "timetravel policy clear");
            // Read as text, not as a policy: a damaged setting is cleared all the same.
            bool had = !string.IsNullOrWhiteSpace(repo.Catalog.Setting(StoreCatalog.RetentionPolicy));
            SavedPolicy.Clear(repo);
            Console.WriteLine(had ? "cleared the retention policy: nothing is removed automatically" : NoneSaved);
            return CommonOptions.Ok;
        }));
        return cmd;
    }
}
