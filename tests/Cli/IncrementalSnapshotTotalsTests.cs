// What `timetravel list` says a snapshot holds: the files, directories and bytes of its tree, whether it walked or
// used the journal. Regression: a journal snapshot of 11 files was listed as 1 file of 24 B, what it had visited.
using System.Text.Json;
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
public sealed class IncrementalSnapshotTotalsTests
{
    private sealed record Totals(long Files, long Directories, long Bytes, long VisitedFiles);

    private static Dictionary<string, Totals> ListTotals(IncrementalSnapshotSandbox box)
    {
        var r = box.Cli("list", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.StdoutBytes);
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => new Totals(
            e.GetProperty("files").GetInt64(), e.GetProperty("directories").GetInt64(), e.GetProperty("logicalBytes").GetInt64(),
            e.GetProperty("visitedFiles").GetInt64()));
    }

    [Fact, NeedsRoot, NeedsFanotify]
    public void AJournalSnapshotListsTheTotalsOfItsTreeAsAFullWalkDoesAndWhatItVisitedApart()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _);
        box.Absorb();
        for (int i = 0; i < 10; i++) File.WriteAllText(Path.Combine(box.Source, "a", $"new{i}.txt"), new string('x', 100 + i));
        Directory.CreateDirectory(Path.Combine(box.Source, "c", "d"));
        File.WriteAllText(Path.Combine(box.Source, "c", "d", "deep.txt"), "deep");
        File.Delete(Path.Combine(box.Source, "a", "b", "other.txt"));
        var journal = box.Snapshot();
        Assert.True(journal.Method == "journal", journal.ToString());

        File.AppendAllText(Path.Combine(box.Source, "a", "new3.txt"), "grown");
        var second = box.Snapshot();
        Assert.True(second.Method == "journal", second.ToString());

        var full = box.Snapshot(full: true);
        var totals = ListTotals(box);
        var walked = totals[full.Name];
        Assert.Equal(walked with { VisitedFiles = 0 }, totals[second.Name] with { VisitedFiles = 0 });
        Assert.True(totals[second.Name].VisitedFiles < walked.Files, $"visited {totals[second.Name].VisitedFiles} of {walked.Files}");
        Assert.Equal(walked.Files, walked.VisitedFiles);
        var first = totals[journal.Name];
        Assert.Equal(walked.Files, first.Files);
        Assert.Equal(walked.Bytes - "grown".Length, first.Bytes);

        var human = box.Cli("list");
        Assert.Matches($@"{second.Name} .* {walked.Files} .* {totals[second.Name].VisitedFiles} ", human.Stdout);
    }
}
