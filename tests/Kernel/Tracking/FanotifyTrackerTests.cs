// Real fanotify: changes made on a marked filesystem arrive as ChangeRecords with the right kinds and byte paths.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

[NeedsRoot]
[NeedsFanotify]
public sealed class FanotifyTrackerTests : IDisposable
{
    private readonly TrackerHarness _h = new(exclude: p => PathBytes.Display(p).EndsWith(".swp"), ignoreUnder: "store");

    public void Dispose() => _h.Dispose();

    [Fact]
    public void CreatingAFileOrDirectoryReportsNew()
    {
        File.WriteAllText(_h.PathOf("a.txt"), "x");
        Directory.CreateDirectory(_h.PathOf("dir"));
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.New, _h.PathOf("a.txt")));
        Assert.Contains(_h.Sink.Changes, c => c.Kind == ChangeKind.New && c.IsDirectory && PathBytes.Display(c.Path) == _h.PathOf("dir"));
        Assert.Empty(_h.Sink.Incompletes);
    }

    [Fact]
    public void WritingToAnExistingFileReportsModified()
    {
        File.WriteAllText(_h.PathOf("a.txt"), "x");
        _h.Settle();
        File.AppendAllText(_h.PathOf("a.txt"), "more");
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.Modified, _h.PathOf("a.txt")));
    }

    [Fact]
    public void ChmodOfAFileAndADirectoryReportsMetadataChanged()
    {
        File.WriteAllText(_h.PathOf("a.txt"), "x");
        Directory.CreateDirectory(_h.PathOf("dir"));
        _h.Settle();
        Shell.Bash($"chmod 400 '{_h.PathOf("a.txt")}' && chmod 500 '{_h.PathOf("dir")}'");
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.MetadataChanged, _h.PathOf("a.txt")));
        Assert.True(_h.Sink.Has(ChangeKind.MetadataChanged, _h.PathOf("dir")));
    }

    [Fact]
    public void RenamingAFileReportsTheOldAndNewPathTogether()
    {
        File.WriteAllText(_h.PathOf("old.txt"), "x");
        _h.Settle();
        File.Move(_h.PathOf("old.txt"), _h.PathOf("new.txt"));
        _h.Settle();
        if (_h.Tracker.HasRenameEvents)
            Assert.Contains(_h.Sink.Changes, c => c.Kind == ChangeKind.Renamed
                && PathBytes.Display(c.Path) == _h.PathOf("old.txt") && PathBytes.Display(c.RenamedTo!) == _h.PathOf("new.txt"));
        else
            Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("old.txt")) && _h.Sink.Has(ChangeKind.New, _h.PathOf("new.txt")));
    }

    [Fact]
    public void RenamingADirectoryReportsADirectoryRenamePair()
    {
        Directory.CreateDirectory(_h.PathOf("d1/sub"));
        _h.Settle();
        Directory.Move(_h.PathOf("d1"), _h.PathOf("d2"));
        File.WriteAllText(_h.PathOf("d2/sub/after.txt"), "x");
        _h.Settle();
        Assert.True(_h.Sink.Mentions(_h.PathOf("d1")));
        Assert.True(_h.Sink.Mentions(_h.PathOf("d2")));
        Assert.Contains(_h.Sink.Changes, c => c.IsDirectory && PathBytes.Display(c.Path) == _h.PathOf("d1"));
        Assert.True(_h.Sink.Has(ChangeKind.New, _h.PathOf("d2/sub/after.txt")));
    }

    [Fact]
    public void DeletingAFileAndAnEmptyDirectoryReportsRemoved()
    {
        File.WriteAllText(_h.PathOf("a.txt"), "x");
        Directory.CreateDirectory(_h.PathOf("dir"));
        _h.Settle();
        File.Delete(_h.PathOf("a.txt"));
        Directory.Delete(_h.PathOf("dir"));
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("a.txt")));
        Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("dir")));
    }

    [Fact]
    public void DeletingATreeReportsItsTopWithoutMakingTheSourceIncomplete()
    {
        Directory.CreateDirectory(_h.PathOf("tree/a/b"));
        File.WriteAllText(_h.PathOf("tree/a/b/f"), "x");
        _h.Settle();
        File.WriteAllText(_h.PathOf("tree/a/b/g"), "late");   // queued while its directory still exists
        Directory.Delete(_h.PathOf("tree"), recursive: true);
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("tree")));
        Assert.Empty(_h.Sink.Incompletes);
    }

    [Fact]
    public void NonUtf8NamesArriveAsTheirRawBytes()
    {
        Shell.Bash($"touch '{_h.Source}'/$'caf\\xe9 \\xff'");
        _h.Settle();
        byte[] expected = [.. PathBytes.From(_h.Source), (byte)'/', (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)' ', 0xFF];
        Assert.Contains(_h.Sink.Changes, c => c.Kind == ChangeKind.New && c.Path.AsSpan().SequenceEqual(expected));
    }

    [Fact]
    public void ExcludedAndIgnoredPathsAreDropped()
    {
        Directory.CreateDirectory(_h.PathOf("store"));
        File.WriteAllText(_h.PathOf("store/journal"), "x");
        File.WriteAllText(_h.PathOf("edit.swp"), "x");
        File.WriteAllText(_h.PathOf("kept.txt"), "x");
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.New, _h.PathOf("kept.txt")));
        Assert.False(_h.Sink.Mentions(_h.PathOf("store")));
        Assert.False(_h.Sink.Mentions(_h.PathOf("store/journal")));
        Assert.False(_h.Sink.Mentions(_h.PathOf("edit.swp")));
    }

    // Regression (found by the property test once it touched excluded paths): creating, removing or renaming an
    // excluded name changes its directory's mtime, and the journal snapshot kept the directory's old one.
    [Fact]
    public void AnExcludedNameCreatedOrRenamedJournalsItsDirectory()
    {
        Directory.CreateDirectory(_h.PathOf("d"));
        Directory.CreateDirectory(_h.PathOf("e"));
        File.WriteAllText(_h.PathOf("e/kept.txt"), "x");
        _h.Settle();
        File.WriteAllText(_h.PathOf("d/new.swp"), "x");
        File.Move(_h.PathOf("e/kept.txt"), _h.PathOf("e/hidden.swp"));
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.MetadataChanged, _h.PathOf("d")));
        Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("e/kept.txt")) || _h.Sink.Has(ChangeKind.MetadataChanged, _h.PathOf("e")));
        Assert.False(_h.Sink.Mentions(_h.PathOf("d/new.swp")));
        Assert.False(_h.Sink.Mentions(_h.PathOf("e/hidden.swp")));
    }

    [Fact]
    public void ChangesOutsideTheSourcesAreDropped()
    {
        var outside = Path.Combine(_h.Scratch.Root, "outside.txt");
        File.WriteAllText(outside, "x");
        _h.Settle();
        Assert.DoesNotContain(_h.Sink.Changes, c => !PathBytes.IsWithin(c.Path, PathBytes.From(_h.Source)));
        Assert.Empty(_h.Sink.Incompletes);   // a file with one name outside the sources concerns no source
    }

    private string Outside(string name)
    {
        var dir = Path.Combine(_h.Scratch.Root, "out");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private bool SourceMadeIncomplete(string because) =>
        _h.Sink.Incompletes.Any(n => n.Source == _h.Source && n.Reason.Contains(because));

    // Regression: `ln src/a/h out/h2; echo CHANGED >> out/h2` was dropped as "outside the sources", and the
    // journal-based snapshot kept the old content (and link count) of src/a/h.
    [Fact]
    public void AHardLinkMadeOutsideTheSourceAndWritingThroughItMakeTheSourceIncomplete()
    {
        File.WriteAllText(_h.PathOf("h"), "x");
        var h2 = Outside("h2");
        _h.Settle();
        Shell.Bash($"ln '{_h.PathOf("h")}' '{h2}'");
        _h.Settle();
        Assert.True(SourceMadeIncomplete("hard links"), "ln: " + string.Join("; ", _h.Sink.Incompletes));

        _h.Sink.Incompletes.Clear();
        Shell.Bash($"echo CHANGED >> '{h2}'");
        _h.Settle();
        Assert.True(SourceMadeIncomplete("hard links"), "append: " + string.Join("; ", _h.Sink.Incompletes));
    }

    [Fact]
    public void AHardLinkToAnExcludedNameMakesTheSourceIncomplete()
    {
        File.WriteAllText(_h.PathOf("h"), "x");
        _h.Settle();
        Shell.Bash($"ln '{_h.PathOf("h")}' '{_h.PathOf("h.swp")}' && echo more >> '{_h.PathOf("h.swp")}'");
        _h.Settle();
        Assert.True(SourceMadeIncomplete("hard links"), string.Join("; ", _h.Sink.Incompletes));
        Assert.False(_h.Sink.Mentions(_h.PathOf("h.swp")));
    }

    // Regression: `mv src away; edit away/d/f; mv away src` happened entirely outside every source path.
    [Fact]
    public void MovingTheSourceRootAwayAndBackMakesItIncomplete()
    {
        Directory.CreateDirectory(_h.PathOf("d"));
        _h.Settle();
        Directory.Move(_h.Source, _h.Source + ".away");
        File.WriteAllText(Path.Combine(_h.Source + ".away", "d", "f"), "edited while away");
        Directory.Move(_h.Source + ".away", _h.Source);
        _h.Settle();
        Assert.True(SourceMadeIncomplete("source root or an ancestor"), string.Join("; ", _h.Sink.Incompletes));
        Assert.Null(_h.Tracker.RootChanged());   // the same directory is back
    }

    [Fact]
    public void MovingAnAncestorOfTheSourceMakesItIncomplete()
    {
        _h.Settle();
        Directory.Move(_h.Scratch.Root, _h.Scratch.Root + ".moved");
        Directory.Move(_h.Scratch.Root + ".moved", _h.Scratch.Root);
        _h.Settle();
        Assert.True(SourceMadeIncomplete("source root or an ancestor"), string.Join("; ", _h.Sink.Incompletes));
    }

    // Regression: `cp -a src new; edit new/a/f; mv src old; mv new src` left the journal snapshot with the old text.
    [Fact]
    public void ReplacingTheSourceRootMakesItIncompleteAndChangesItsIdentity()
    {
        _h.Settle();
        Directory.CreateDirectory(_h.Source + ".new");
        Directory.Move(_h.Source, _h.Source + ".old");
        Directory.Move(_h.Source + ".new", _h.Source);
        _h.Settle();
        Assert.True(SourceMadeIncomplete("source root or an ancestor"), string.Join("; ", _h.Sink.Incompletes));
        Assert.Contains(_h.Source, _h.Tracker.RootChanged());
    }

    [Fact]
    public void MovingOutOfTheSourceReportsRemovedAndMovingInReportsNew()
    {
        var outside = Path.Combine(_h.Scratch.Root, "elsewhere");
        Directory.CreateDirectory(outside);
        File.WriteAllText(_h.PathOf("leaving.txt"), "x");
        File.WriteAllText(Path.Combine(outside, "arriving.txt"), "x");
        _h.Settle();
        File.Move(_h.PathOf("leaving.txt"), Path.Combine(outside, "leaving.txt"));
        File.Move(Path.Combine(outside, "arriving.txt"), _h.PathOf("arriving.txt"));
        _h.Settle();
        Assert.True(_h.Sink.Has(ChangeKind.Removed, _h.PathOf("leaving.txt")));
        Assert.True(_h.Sink.Has(ChangeKind.New, _h.PathOf("arriving.txt")));
    }
}
