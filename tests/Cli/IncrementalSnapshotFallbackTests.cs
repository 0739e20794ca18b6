// When the journal cannot vouch for an interval, the next snapshot walks and says why: a tracker that stopped (cleanly
// or by a crash) and was restarted inside the interval, a FastVPS log with a malformed line, a journal deleted and
// begun again, a damaged journal tail, or a last full walk older than --full-walk-every. The snapshot after that walk
// can use the journal again, and every snapshot still records the same tree a full walk does.
using System.Globalization;
using TimeTravel.Kernel.Journal;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.IncrementalSnapshots;

[Collection("IncrementalSnapshot tracker")]
[NeedsRoot]
[NeedsFanotify]
public sealed class IncrementalSnapshotFallbackTests
{
    private static IncrementalSnapshotSandbox Prepared(out TrackerProcess tracker) => IncrementalSnapshotSandbox.Prepared(out tracker);

    [Theory]
    [InlineData("TERM")]   // clean stop: TrackerStopped lies in the interval
    [InlineData("KILL")]   // crash: no TrackerStopped, but the restart's TrackerStarted lies in the interval
    public void ATrackerStoppedAndRestartedInsideTheIntervalMakesTheNextSnapshotWalk(string signal)
    {
        using var box = Prepared(out var tracker);
        tracker.Stop(signal);
        File.WriteAllText(Path.Combine(box.Source, "a", "b", "other.txt"), "changed while nothing watched");
        File.WriteAllText(Path.Combine(box.Source, "unseen.txt"), "created while nothing watched");
        box.StartTracker();

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("tracker", walked.Reason, StringComparison.OrdinalIgnoreCase);
        box.AssertSameAsFullWalk(walked);

        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "three");
        var next = box.Snapshot();
        Assert.True(next.Method == "journal", $"after the walk the restarted tracker covers the interval: {next.Method}: {next.Reason}");
        box.AssertSameAsFullWalk(next);
    }

    [Fact]
    public void ATrackerThatIsStoppedAndNotRestartedMakesTheNextSnapshotWalk()
    {
        using var box = Prepared(out var tracker);
        tracker.Stop("KILL");
        File.WriteAllText(Path.Combine(box.Source, "a", "file.txt"), "changed while nothing watched");
        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("tracker", walked.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMalformedFastVpsLogLineMakesTheNextSnapshotWalk()
    {
        using var box = Prepared(out _);
        var changed = Path.Combine(box.Source, "a", "file.txt");
        File.WriteAllText(changed, "changed, and logged");
        var log = Path.Combine(box.Base, "2026-01-01.log");
        File.WriteAllText(log, $"1 MOD {changed}\nthis line is not a FastVPS record\n");

        var import = box.Cli("import-log", log);
        Assert.NotEqual(0, import.ExitCode);
        Assert.Contains("malformed", import.Stdout + import.Stderr);

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("malformed", walked.Reason);
        box.AssertSameAsFullWalk(walked);
    }

    // Regression: after `rm -rf STORE/journal` and a tracker restart, two snapshots failed with "internal error:
    // ArgumentException: cut 1 is before cut 3", then the third used the journal and missed the edit.
    [Fact]
    public void AJournalDeletedAndBegunAgainMakesTheNextSnapshotWalkInsteadOfFailing()
    {
        using var box = Prepared(out var tracker);
        tracker.Stop("TERM");
        Directory.Delete(box.Journal, recursive: true);
        var file = Path.Combine(box.Source, "a", "file.txt");
        File.WriteAllText(file, "edited while the journal was gone");
        box.StartTracker();

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("journal was reset", walked.Reason);
        Assert.Equal("edited while the journal was gone", box.ContentOf(walked.Name, file));

        File.WriteAllText(file, "and again");
        var next = box.Snapshot();
        Assert.True(next.Method == "journal", next.ToString());
        Assert.Equal("and again", box.ContentOf(next.Name, file));
    }

    // Regression: a damaged last record was taken for a torn tail and cut off in silence, and the edit it recorded
    // was missed by the next snapshot.
    [Fact]
    public void ADamagedLastRecordOfTheJournalMakesTheNextSnapshotWalk()
    {
        using var box = Prepared(out _);
        box.Absorb();
        // A new file: its creation is journaled on every filesystem (writes to an existing file on ext4 are left to
        // the range tracker when it runs, and never reach the journal).
        var file = Path.Combine(box.Source, "a", "b", "created.txt");
        File.WriteAllText(file, "journaled, then its record damaged");
        var reader = new JournalReader(box.Journal);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (reader.ReadAllSegments().Last().Records.LastOrDefault() is not ChangeEntry { Change: var c } || PathBytes.Display(c.Path) != file)
        {
            Assert.True(DateTime.UtcNow < deadline, "the change never became the journal's last record");
            Thread.Sleep(20);
        }
        var segment = Directory.GetFiles(box.Journal, "segment-*.ttj").Order(StringComparer.Ordinal).Last();
        Damage.FlipBits(segment, -3);

        var walked = box.Snapshot();
        Assert.Equal("walk", walked.Method);
        Assert.Contains("damaged", walked.Reason);
        Assert.Equal("journaled, then its record damaged", box.ContentOf(walked.Name, file));
    }

    // fanotify misses writes through shared maps (and chattr): a full walk is part of the schedule, by default daily.
    [Fact]
    public void ASnapshotWalksWhenTheLastFullWalkIsOlderThanFullWalkEvery()
    {
        using var box = Prepared(out _);
        var now = DateTimeOffset.Now;
        string At(double hours) => now.AddHours(hours).ToString("O", CultureInfo.InvariantCulture);
        var file = Path.Combine(box.Source, "a", "file.txt");

        File.WriteAllText(file, "3 h later");
        var late = box.Snapshot(false, "--time", At(3), "--full-walk-every", "2h");
        Assert.Equal("walk", late.Method);
        Assert.Contains("periodic full walk", late.Reason);

        File.WriteAllText(file, "4 h later");
        Assert.Equal("journal", box.Snapshot(false, "--time", At(4), "--full-walk-every", "2h").Method);
        File.WriteAllText(file, "a day later");
        Assert.Equal("journal", box.Snapshot(false, "--time", At(26)).Method);          // the default: 1 day
        File.WriteAllText(file, "more than a day later");
        var daily = box.Snapshot(false, "--time", At(27.5));
        Assert.Equal("walk", daily.Method);
        Assert.Contains("older than 1 day", daily.Reason);
        Assert.Equal("more than a day later", box.ContentOf(daily.Name, file));
    }

    [Fact]
    public void EverySnapshotRecordsTheListOfPathsThatChangedInIt()
    {
        using var box = Prepared(out _);
        box.Absorb();
        var changed = Path.Combine(box.Source, "a", "b", "other.txt");
        var created = Path.Combine(box.Source, "a", "new.txt");
        File.WriteAllText(changed, "changed");
        File.WriteAllText(created, "new");
        var journal = box.Snapshot();
        Assert.True(journal.Method == "journal", journal.ToString());
        var walk = box.Snapshot(full: true);

        using var repo = TimeTravel.Store.Repository.OpenReader(box.Store);
        List<string> Listed(IncrSnapshotInfo s) => TimeTravel.Store.Snapshots.ChangeList.Read(repo.Trees, repo.FindSnapshot(s.Name))
            .Select(p => PathBytes.Display(p)).Where(p => p.StartsWith(box.Source, StringComparison.Ordinal)).ToList();
        Assert.Equal([changed, created], Listed(journal));   // sorted by bytes; "a" changed only below it
        Assert.Empty(Listed(walk));
        var listed = box.List().Single(s => s.Name == journal.Name);
        Assert.True(listed.ChangedPaths >= 2, $"list --json: {listed.ChangedPaths} changed paths");
        Assert.Equal(listed.ChangedPaths, journal.ChangedPaths);
    }
}
