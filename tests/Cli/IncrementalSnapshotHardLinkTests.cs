// Hard links under a running tracker: a file's other names may lie where no event points (outside the sources, in an
// excluded directory, elsewhere in the tree), so any change that involves a hard-linked file makes the snapshot walk,
// and the result is always what a full walk records: content, link counts and ctimes of every name.
using System.Runtime.InteropServices;
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFanotify]
public sealed class IncrementalSnapshotHardLinkTests
{
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int link(string existing, string newPath);

    private static void Link(string existing, string newPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(newPath)!);
        Assert.Equal(0, link(existing, newPath));
    }

    private static void AssertWalkedForHardLinks(IncrSnapshotInfo s)
    {
        Assert.True(s.Method == "walk", $"expected a walk: {s}");
        Assert.Contains("hard", s.Reason);
    }

    // Regression: `ln src/a/h out/h2; echo CHANGED >> out/h2` gave a journal snapshot with "0 changed paths" and the
    // old content; `ln` alone (link count 1 -> 2) was missed too.
    [Theory]
    [InlineData("ln and append outside")]
    [InlineData("ln outside")]
    [InlineData("ln and append in an excluded directory")]
    public void AHardLinkWhoseOtherNameIsOutsideOrExcludedIsNeverMissed(string how)
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _, "--exclude", "cache");
        box.Absorb();
        var h = Path.Combine(box.Source, "a", "file.txt");
        var other = how.Contains("excluded") ? Path.Combine(box.Source, "cache", "h2") : Path.Combine(box.Base, "out", "h2");
        Link(h, other);
        if (how.Contains("append")) File.AppendAllText(other, " CHANGED");

        var s = box.Snapshot();
        AssertWalkedForHardLinks(s);
        Assert.Equal(how.Contains("append") ? "one more CHANGED" : "one more", box.ContentOf(s.Name, h));
        box.AssertSameAsFullWalk(s);

        // The link stays; a later write through the outside name alone is caught again.
        box.Absorb();
        File.AppendAllText(other, " AGAIN");
        var again = box.Snapshot();
        AssertWalkedForHardLinks(again);
        Assert.EndsWith(" AGAIN", box.ContentOf(again.Name, h));
    }

    // Regression: `ln src/w/f5 src/d/f5link` gave "1 changed paths" and src/w/f5 kept link count 1 and its old ctime:
    // the new name was walked as a new subtree, where hard links were not checked.
    [Fact]
    public void ANewNameInsideTheSourceMakesTheSnapshotWalkForTheOtherNamesLinkCount()
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _);
        box.Absorb();
        Link(Path.Combine(box.Source, "a", "b", "other.txt"), Path.Combine(box.Source, "d", "other-link"));
        var s = box.Snapshot();
        AssertWalkedForHardLinks(s);
        box.AssertSameAsFullWalk(s);
    }

    // Removing one name of a hard-linked file changes the link count of the other name, in a directory no event
    // names: the journal-based snapshot must still record what a walk records (or fall back to a walk).
    [Theory]
    [InlineData("rm")]
    [InlineData("rename-over")]
    public void RemovingOneNameOfAHardLinkedFileKeepsTheOtherNamesLinkCountRight(string how)
    {
        using var box = IncrementalSnapshotSandbox.Prepared(out _);
        var kept = Path.Combine(box.Source, "a", "b", "other.txt");
        var second = Path.Combine(box.Source, "elsewhere", "second-name.txt");
        Link(kept, second);
        AssertWalkedForHardLinks(box.Snapshot());   // records nlink 2 for both names
        box.Absorb();
        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "unrelated change");
        var quiet = box.Snapshot();
        Assert.True(quiet.Method == "journal", quiet.ToString());   // hard links present but untouched cost nothing

        if (how == "rm") File.Delete(second);
        else { File.WriteAllText(second + ".new", "replacement"); File.Move(second + ".new", second, overwrite: true); }
        box.AssertSameAsFullWalk(box.Snapshot());
    }
}
