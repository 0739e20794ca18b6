// A machine still running the FastVPS kernel patch: `timetravel import-log` feeds the journal, and with no tracker at
// all the imported interval gives a journal-based snapshot. Any problem with a log makes the next snapshot walk.
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFanotify]
public sealed class IncrementalSnapshotImportTests
{
    private static IncrementalSnapshotSandbox Prepared(out string file)
    {
        var box = new IncrementalSnapshotSandbox();
        file = Path.Combine(box.Source, "a", "file.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "one");
        box.Init();
        Assert.Equal("walk", box.Snapshot().Method);
        return box;
    }

    // Regression: every snapshot after an import said "journal incomplete: no running tracker confirmed the cut".
    [Fact]
    public void AnImportedLogGivesAJournalSnapshotWithoutATracker()
    {
        using var box = Prepared(out var file);
        File.WriteAllText(file, "changed, and logged by the kernel patch");
        var log = Path.Combine(box.Base, "2026-01-01.log");
        File.WriteAllText(log, $"0 MOD {file}\n0 MOD /etc/outside-every-source\n");
        var import = box.Cli("import-log", log);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("1 changes imported, 1 dropped", import.Stdout);

        var s = box.Snapshot();
        Assert.True(s.Method == "journal", s.ToString());
        Assert.Contains("FastVPS log import", s.Reason);
        Assert.Equal("changed, and logged by the kernel patch", box.ContentOf(s.Name, file));
        box.AssertSameAsFullWalk(s);

        File.WriteAllText(file, "changed, nothing imported");
        var unvouched = box.Snapshot();
        Assert.Equal("walk", unvouched.Method);
        Assert.Contains("no FastVPS log was imported", unvouched.Reason);
    }

    [Fact]
    public void AMissingLogAmongOthersIsReportedTheOthersAreImportedAndTheNextSnapshotWalks()
    {
        using var box = Prepared(out var file);
        File.WriteAllText(file, "changed");
        var good1 = Path.Combine(box.Base, "log0");
        var missing = Path.Combine(box.Base, "log1");
        var good2 = Path.Combine(box.Base, "log2");
        File.WriteAllText(good1, $"0 MOD {file}\n");
        File.WriteAllText(good2, $"0 NEW {file}\n");
        var import = box.Cli("import-log", good1, missing, good2);
        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains(missing, import.Stderr);
        Assert.Contains("2 changes imported", import.Stdout);

        var s = box.Snapshot();
        Assert.Equal("walk", s.Method);
        Assert.Contains("could not be read", s.Reason);
        Assert.Equal("changed", box.ContentOf(s.Name, file));
    }

    // Regression: `import-log` took "//", "/./" and trailing "/" in a path as written; the journal snapshot visited
    // nothing (no path matched) and kept the old content.
    [Fact, NeedsRoot]
    public void AnImportedPathWithDoubleSlashesOrDotsIsCanonicalisedAndTheChangeIsSeen()
    {
        using var box = Prepared(out var file);
        var other = Path.Combine(box.Source, "a", "other.txt");
        File.WriteAllText(file, "changed, logged with a double slash");
        File.WriteAllText(other, "new, logged with /./");
        var log = Path.Combine(box.Base, "2026-01-02.log");
        string dir = Path.GetDirectoryName(file)!;
        File.WriteAllText(log, $"0 MOD {dir}//file.txt\n0 NEW {box.Source}/./a/other.txt/\n");
        var import = box.Cli("import-log", log);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("2 changes imported", import.Stdout);

        var s = box.Snapshot();
        Assert.True(s.Method == "journal", s.ToString());
        Assert.Equal("changed, logged with a double slash", box.ContentOf(s.Name, file));
        Assert.Equal("new, logged with /./", box.ContentOf(s.Name, other));
        box.AssertSameAsFullWalk(s);
    }

    [Fact, NeedsRoot]
    public void AnImportedPathWithDotDotMakesTheNextSnapshotWalkAndSaysWhy()
    {
        using var box = Prepared(out var file);
        File.WriteAllText(file, "changed, logged through ..");
        var log = Path.Combine(box.Base, "2026-01-03.log");
        File.WriteAllText(log, $"0 MOD {box.Source}/a/../a/file.txt\n");
        var import = box.Cli("import-log", log);
        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("'..'", import.Stderr);

        var s = box.Snapshot();
        Assert.Equal("walk", s.Method);
        Assert.Contains("'..'", s.Reason);
        Assert.Equal("changed, logged through ..", box.ContentOf(s.Name, file));
    }
}
