// The bash completion, sourced into a real bash with COMP_WORDS and COMP_CWORD set as bash sets them: what each
// argument position offers. Regressions: `history <TAB>` offered snapshot names where a PATH goes, `diff SNAP <TAB>`
// offered files, `restore --<TAB>` nothing, `yesterday -n <TAB>` files, and snapshot names ignored --store.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

public class CompletionTests(HistoryCliFixture f) : IClassFixture<HistoryCliFixture>
{
    private static readonly string Script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../docs/completion/timetravel.bash"));

    /// <summary>COMPREPLY for the words typed, the cursor on the last one, run from `cwd`.</summary>
    private string[] Complete(string cwd, params string[] words)
    {
        string function = words[0] == "yesterday" ? "_yesterday" : "_timetravel";
        string quoted = string.Join(" ", words.Select(w => "'" + w.Replace("'", "'\\''") + "'"));
        string program = $$"""
            timetravel() { {{TimeTravelCli.ShellCommand}} "$@"; }
            source '{{Script}}'
            cd '{{cwd}}'
            COMP_WORDS=({{quoted}}); COMP_CWORD={{words.Length - 1}}
            {{function}}
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var (code, output, err) = Shell.Try("bash", "-c", program);
        Assert.True(code == 0, err);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void HistoryCompletesAPathNotASnapshot()
    {
        var offered = Complete(f.Src, "timetravel", "--store", f.Store, "history", "no");
        Assert.Equal(["notes.txt"], offered);
    }

    [Fact]
    public void DiffCompletesTwoSnapshotsOfTheStoreGivenThenAPath()
    {
        Assert.Equal(["2026-11-01_1000", "2026-11-02_1000", "2026-11-03_1000", "2026-11-04_1000", "2026-11-05_1000"],
            Complete(f.Src, "timetravel", "--store", f.Store, "diff", "2026-11-0"));
        Assert.Contains("latest", Complete(f.Src, "timetravel", "-s", f.Store, "diff", "2026-11-01_1000", ""));
        Assert.Equal(["notes.txt"], Complete(f.Src, "timetravel", "diff", "--store", f.Store, "latest", "2026-11-01_1000", "no"));
    }

    [Fact]
    public void RestoreCompletesItsOptionsASnapshotThenAPath()
    {
        var options = Complete(f.Src, "timetravel", "restore", "--");
        foreach (var o in new[] { "--to", "--dry-run", "--no-backup", "--if-different" }) Assert.Contains(o, options);
        Assert.Contains("2026-11-05_1000", Complete(f.Src, "timetravel", "--store", f.Store, "restore", "--if-different", ""));
        Assert.Equal(["notes.txt"], Complete(f.Src, "timetravel", "--store", f.Store, "restore", "latest", "no"));
        Assert.Equal(["notes.txt"], Complete(f.Src, "timetravel", "restore", "--to", "no"));
        Assert.Equal(["--diff"], Complete(f.Src, "timetravel", "history", "--d"));
    }

    [Fact]
    public void YesterdayOffersNothingForDaysAndFilesForFiles()
    {
        Assert.Empty(Complete(f.Src, "yesterday", "-n", ""));
        Assert.Empty(Complete(f.Src, "yesterday", "--at", ""));
        Assert.Equal(["notes.txt"], Complete(f.Src, "yesterday", "-n", "3", "no"));
        Assert.Contains("--no-backup", Complete(f.Src, "yesterday", "-c", "--no"));
        Assert.Contains("true", Complete(f.Src, "yesterday", "-b", "notes.txt", "--", "tru"));
    }
}
