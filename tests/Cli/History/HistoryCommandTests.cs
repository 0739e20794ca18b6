// `timetravel history`: one line per distinct version with its place in the mount, --json, --diff between
// adjacent versions, a deleted file's versions, and a path no snapshot has.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

[NeedsFuse]
public class HistoryCommandTests(HistoryCliFixture f) : IClassFixture<HistoryCliFixture>
{
    [Fact]
    public void EachDistinctVersionIsOneLineWithItsPathInTheMountAndWhatChanged()
    {
        var r = f.Run("history", f.Notes);
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("TIME", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^2026-11-01 10:00:00 \+01:00 +14 B +0:0 +created +2026-11-01_1000:" + f.Notes + "$", lines[1]);
        Assert.Contains(" content ", lines[2]);
        Assert.Contains("2026-11-02_1000:" + f.Notes, lines[2]);
        Assert.Contains(" metadata ", lines[3]);
        Assert.Matches(@"^2026-11-04 10:00:00 \+01:00 +- +- +deleted +\(deleted\)$", lines[4]);
        Assert.Contains(" recreated ", lines[5]);
    }

    // Regression: with the store not mounted, history printed paths under /backup/.snapshot that did not exist.
    [Fact]
    public void NotMountedItNamesVersionsBySnapshotAndSaysHowToMount()
    {
        var r = f.Run("history", f.Notes);
        Assert.DoesNotContain("/backup/.snapshot/", r.Stdout);
        Assert.Contains($"{f.Store} is not mounted, so versions are shown as SNAPSHOT:PATH", r.Stderr);
        Assert.Contains($"timetravel --store {f.Store} mount", r.Stderr);
        var json = JsonDocument.Parse(f.Run("history", "--json", f.Notes).Stdout).RootElement;
        Assert.All(json.EnumerateArray(), v => Assert.False(v.TryGetProperty("path", out _)));
    }

    [Fact]
    public void JsonListsVersionsWithChangesAndLastSeen()
    {
        var json = JsonDocument.Parse(f.Run("history", "--json", f.Notes).Stdout).RootElement;
        Assert.Equal(5, json.GetArrayLength());
        Assert.Equal(["created", "content", "metadata", "deleted", "recreated"],
            json.EnumerateArray().Select(v => v.GetProperty("changes")[0].GetString()));
        Assert.Equal(0x180, json[2].GetProperty("mode").GetInt32());
        Assert.False(json[3].GetProperty("exists").GetBoolean());
        Assert.Equal(11, json[4].GetProperty("size").GetInt64());
    }

    [Fact]
    public void DiffShowsUnifiedDiffsBetweenAdjacentVersionsOfTheContent()
    {
        var r = f.Run("history", "--diff", f.Notes);
        Assert.Contains("--- 2026-11-01_1000:" + f.Notes, r.Stdout);
        Assert.Contains("+++ 2026-11-02_1000:" + f.Notes, r.Stdout);
        Assert.Contains("\n-two\n+TWO\n", r.Stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(r.Stdout, "^@@", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), "timetravel-history-*"));
    }

    [Fact]
    public void ADeletedFileStillHasItsHistory()
    {
        var r = f.Run("history", f.Src + "/gone.txt");
        Assert.Contains(" created ", r.Stdout);
        Assert.Contains(" deleted ", r.Stdout);
    }

    [Fact]
    public void APathInNoSnapshotSaysSoAndExits1()
    {
        var r = TimeTravelCli.Run(f.Store, "history", f.Src + "/never.txt");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Contains(f.Src + "/never.txt: in none of the 5 snapshots", r.Stderr);
    }

    [Fact]
    public void PathsAreWhereThisStoreIsMountedAndAPathInsideTheMountIsUnderstood()
    {
        // Regression: with the store mounted at /x/mnt, history printed /backup/.snapshot/... and answered a path
        // inside the mount with "in none of the snapshots".
        using var mount = new TimeTravel.Tests.Fs.Mounting.Support.InProcessMount(f.Store);
        var r = f.Run("history", f.Notes);
        Assert.Contains($"{mount.Path}/2026-11-01_1000{f.Notes}", r.Stdout);
        Assert.DoesNotContain("/backup/.snapshot", r.Stdout);
        string inMount = $"{mount.Path}/latest{f.Notes}";
        Assert.True(File.Exists(inMount));
        var viaMount = f.Run("history", inMount);
        Assert.Equal(r.Stdout, viaMount.Stdout);
        foreach (var line in r.Stdout.Split('\n').Skip(1).Where(l => l.Contains(mount.Path)))
            Assert.True(File.Exists(line[line.IndexOf(mount.Path, StringComparison.Ordinal)..]), line);
    }
}
