// `timetravel forget --keep-...` and `forget --policy`, `timetravel policy set|show|clear`, run as the shipped binary:
// a dry run says for every snapshot keep or forget and which rules keep it, and changes nothing; a policy forgets what
// it does not keep in one go; without a saved policy nothing is removed; bad rules are refused and save nothing; the
// policy and the pins come back with a catalog rebuild.
using System.Text.Json;
using TimeTravel.Store.Catalog;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class RetentionCommandTests(RetentionStoreFixture f) : IClassFixture<RetentionStoreFixture>, IDisposable
{
    private readonly TempDir _dir = new("tt-retention-cmd");
    private string? _store;
    private string Store => _store ??= f.Copy(_dir);

    public void Dispose() => _dir.Dispose();

    private List<string> Names() =>
        JsonDocument.Parse(TimeTravelCli.Run(Store, "list", "--json").Stdout).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToList();

    private CliResult Ok(params string[] args)
    {
        var r = TimeTravelCli.Run(Store, args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private void Refused(string message, params string[] args)
    {
        var r = TimeTravelCli.Run(Store, args);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
    }

    [Fact]
    public void ADryRunPrintsEverySnapshotKeepOrForgetAndWhyAndChangesNothing()
    {
        var r = Ok("forget", "--dry-run", "--keep-last", "1", "--keep-daily", "2");
        Assert.Contains("policy: keep 1 latest, 2 daily snapshots", r.Stdout);
        Assert.Contains("would keep   2026-01-04_1600 (id 8, 2026-01-04 16:00:00 +00:00): last snapshot, daily snapshot", r.Stdout);
        Assert.Contains("would keep   2026-01-03_1600 (id 6, 2026-01-03 16:00:00 +00:00): daily snapshot", r.Stdout);
        Assert.Contains("would forget 2026-01-04_1000 (id 7", r.Stdout);
        Assert.Contains("would forget 2026-01-01_1000 (id 1", r.Stdout);
        Assert.Contains("2 snapshots kept, 6 would be forgotten", r.Stdout);
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void ADryRunInJsonListsTheKeptWithTheirReasonsAndTheForgotten()
    {
        var json = JsonDocument.Parse(Ok("forget", "--dry-run", "--json", "--keep-daily", "-1", "--keep-within", "1d").Stdout).RootElement;
        Assert.True(json.GetProperty("dryRun").GetBoolean());
        Assert.Equal("--keep-daily unlimited --keep-within 1d", json.GetProperty("policy").GetString());
        var kept = json.GetProperty("kept").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!,
            s => s.GetProperty("reasons").EnumerateArray().Select(x => x.GetString()!).ToList());
        Assert.Equal(["2026-01-01_1000", "2026-01-01_1600", "2026-01-02_1600", "2026-01-03_1600", "2026-01-04_1000", "2026-01-04_1600"], kept.Keys);
        Assert.Equal(["oldest daily snapshot"], kept["2026-01-01_1000"]);
        Assert.Equal(["within 1d"], kept["2026-01-04_1000"]);
        Assert.Equal(["within 1d", "daily snapshot"], kept["2026-01-04_1600"]);
        Assert.Equal(["2026-01-02_1000", "2026-01-03_1000"], json.GetProperty("forgotten").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(6, json.GetProperty("remaining").GetInt32());
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void APolicyForgetsWhatItDoesNotKeepAndTheKeptSnapshotsStayWhole()
    {
        var r = Ok("forget", "--keep-daily", "2");
        Assert.Contains("forgot 2026-01-01_1000", r.Stdout);
        Assert.Contains("keep   2026-01-04_1600", r.Stdout);
        Assert.Equal(["2026-01-03_1600", "2026-01-04_1600"], Names());
        Assert.Equal(0, TimeTravelCli.Run(Store, "verify", "--read-data").ExitCode);
        Assert.Equal("written for 2026-01-01_1000\n", Ok("cat", "2026-01-03_1600", Path.Combine(f.Source, "2026-01-01_1000.txt")).Stdout);
        // Applied again, the same policy has nothing more to forget.
        Assert.Contains("2 snapshots kept, none forgotten", Ok("forget", "--keep-daily", "2").Stdout);
    }

    [Fact]
    public void ForgetPolicyWithoutASavedPolicyForgetsNothingAndSucceeds()
    {
        var r = Ok("forget", "--policy");
        Assert.Contains("no retention policy is saved", r.Stdout);
        Assert.Contains("nothing is removed automatically", r.Stdout);
        var json = JsonDocument.Parse(Ok("forget", "--policy", "--json").Stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("policy").ValueKind);
        Assert.Equal(0, json.GetProperty("forgotten").GetArrayLength());
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void ASavedPolicyIsShownAppliedByForgetPolicyAndCleared()
    {
        Assert.Contains("no retention policy is saved", Ok("policy", "show").Stdout);
        var set = Ok("policy", "set", "--keep-within", "1d1h", "--keep-last", "1");
        Assert.Contains("saved: --keep-last 1 --keep-within 1d1h", set.Stdout);
        Assert.StartsWith("--keep-last 1 --keep-within 1d1h\nkeep 1 latest snapshots and every snapshot within 1d1h of the newest", Ok("policy", "show").Stdout);
        var shown = JsonDocument.Parse(Ok("policy", "show", "--json").Stdout).RootElement;
        Assert.Equal("--keep-last 1 --keep-within 1d1h", shown.GetProperty("policy").GetString());
        Assert.Equal(1, shown.GetProperty("rules").GetProperty("last").GetInt32());
        Assert.Equal("1d1h", shown.GetProperty("rules").GetProperty("within").GetString());

        Assert.Contains("would forget 2026-01-03_1000", Ok("forget", "--policy", "--dry-run").Stdout);
        Assert.Equal(RetentionStoreFixture.Names, Names());
        Ok("forget", "--policy");
        Assert.Equal(["2026-01-03_1600", "2026-01-04_1000", "2026-01-04_1600"], Names());

        // A new `set` replaces the whole policy.
        Ok("policy", "set", "--keep-daily", "5");
        Assert.StartsWith("--keep-daily 5\n", Ok("policy", "show").Stdout);

        Assert.Contains("cleared", Ok("policy", "clear").Stdout);
        Assert.Contains("no retention policy is saved", Ok("policy", "show").Stdout);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(Ok("policy", "show", "--json").Stdout).RootElement.GetProperty("policy").ValueKind);
        Assert.Contains("no retention policy is saved", Ok("forget", "--policy").Stdout);
        Assert.Equal(3, Names().Count);
    }

    [Fact]
    public void BadRulesAreRefusedNamingTheRuleAndNothingIsSavedOrForgotten()
    {
        Ok("policy", "set", "--keep-daily", "7");
        Refused("--keep-within '2w': invalid unit 'w'", "policy", "set", "--keep-within", "2w");
        Refused("--keep-last -2: negative values other than -1", "policy", "set", "--keep-last", "-2");
        Refused("--keep-hourly 'many': not a count", "forget", "--keep-hourly", "many");
        Refused("give the policy's rules", "policy", "set");
        Refused("needs at least one --keep-* rule", "policy", "set", "--keep-last", "0");
        Assert.StartsWith("--keep-daily 7\n", Ok("policy", "show").Stdout);
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void NamesRulesAndPolicyTogetherAreRefusedAndForgetNothing()
    {
        Refused("only one of them", "forget", "--keep-last", "1", "2026-01-01_1000");
        Refused("only one of them", "forget", "--policy", "--keep-last", "1");
        Refused("name the snapshots to forget, or give --keep-* rules, or --policy", "forget");
        Refused("--force is for forgetting named snapshots", "forget", "--force", "--keep-last", "1");
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void APolicyWithNoRuleKeepsEverySnapshotAndSaysSo()
    {
        var r = Ok("forget", "--keep-last", "0");
        Assert.Contains("policy: no rule: every snapshot is kept", r.Stdout);
        Assert.Contains("8 snapshots kept, none forgotten", r.Stdout);
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    [Fact]
    public void ADamagedSavedPolicyIsNamedAndCanBeClearedOrReplaced()
    {
        using (var catalog = StoreCatalog.Open(Path.Combine(Store, "catalog.db"), readOnly: false))
            catalog.SetSetting(StoreCatalog.RetentionPolicy, "--keep-dialy 3");
        Refused("setting \"retention-policy\" is not a retention policy", "forget", "--policy");
        Refused("'--keep-dialy' is not a retention rule", "policy", "show");
        Ok("policy", "clear");
        Assert.Contains("no retention policy is saved", Ok("forget", "--policy").Stdout);
        Assert.Equal(RetentionStoreFixture.Names, Names());
    }

    // The policy and the pins are part of the store's record in the arenas: a lost catalog comes back with both.
    [Fact]
    public void TheSavedPolicyAndThePinsComeBackWithACatalogRebuild()
    {
        Ok("policy", "set", "--keep-last", "1");
        Ok("pin", "2026-01-02_1000", "--note", "hold");
        Ok("forget", "--policy");
        File.Delete(Path.Combine(Store, "catalog.db"));
        Ok("catalog", "rebuild");
        Assert.StartsWith("--keep-last 1\n", Ok("policy", "show").Stdout);
        Assert.Equal(["2026-01-02_1000", "2026-01-04_1600"], Names());
        Assert.EndsWith("pinned: hold", Ok("list").Stdout.Split('\n').Single(l => l.StartsWith("2026-01-02_1000")));
        Ok("policy", "clear");
        File.Delete(Path.Combine(Store, "catalog.db"));
        Ok("catalog", "rebuild");
        Assert.Contains("no retention policy is saved", Ok("policy", "show").Stdout);
    }
}
