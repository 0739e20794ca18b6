// Importing FastVPS logs: good lines land in the journal, paths a walk would not record are dropped, a finished import
// vouches for its interval when no tracker runs, and any problem (a bad line, an unreadable file) makes the next
// snapshot walk everything while the other files are still imported.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.FastVps;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.FastVps;

public sealed class LogImporterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly WatchedSource[] Srv = [new("/srv", "rules", 0, 0, 0)];

    public void Dispose() => _dir.Dispose();

    private string Log(string name, string content)
    {
        var path = _dir[name];
        File.WriteAllText(path, content);
        return path;
    }

    private (ImportResult Result, ChangeSet Set) Import(IReadOnlyList<string> files, Func<byte[], bool>? keep = null, bool requireTracker = true)
    {
        using var journal = ChangeJournal.Open(_dir["journal"]);
        long first = journal.Cut(TimeSpan.Zero);
        var result = LogImporter.Import(files, journal, keep, Srv);
        long second = journal.Cut(TimeSpan.Zero);
        return (result, new JournalReader(_dir["journal"]).ReadBetween(first, second, requireTracker));
    }

    private static List<string> Show(IEnumerable<byte[]> paths) => paths.Select(p => PathBytes.Display(p)).Order().ToList();

    [Fact]
    public void WellFormedLogsImportAsACompleteSetVouchedForByTheImport()
    {
        var (result, set) = Import([Log("log0", "0 NEW /srv/a b\n0 MOD /srv/c\n"), Log("log1", "0 REM /srv/d\n")]);
        Assert.True(result.Clean);
        Assert.True(set.Complete, set.WhyIncomplete);
        Assert.Equal(["/srv/a b", "/srv/c", "/srv/d"], Show(set.Changed));
        Assert.StartsWith("FastVPS log import (2 files)", set.Coverage!.By);
        Assert.Null(set.SourceProblem("/srv", "rules", null));   // an import records no root identity to compare
        Assert.Contains("not watched", set.SourceProblem("/home", "rules", null));
    }

    [Fact]
    public void AMalformedLineStillImportsTheGoodLinesAndMarksTheSetIncomplete()
    {
        var (result, set) = Import([Log("2013-08-12.log", "0 NEW /srv/a\ngarbage\n0 MOD /srv/b\n")], requireTracker: false);
        Assert.False(result.Clean);
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
        Assert.Contains("2013-08-12.log:2", set.WhyIncomplete);
        Assert.Equal(["/srv/a", "/srv/b"], Show(set.Changed));
    }

    [Fact]
    public void AnUnreadableFileInTheMiddleIsReportedTheOthersAreImportedAndTheSetIsIncomplete()
    {
        var missing = _dir["log1"];
        var (result, set) = Import([Log("log0", "0 MOD /srv/a\n"), missing, Log("log2", "0 MOD /srv/c\n")]);
        Assert.Contains(result.Errors, e => e.StartsWith(missing) && e.Contains("cannot read"));
        Assert.Equal(2, result.Imported);
        Assert.Equal(["/srv/a", "/srv/c"], Show(set.Changed));
        Assert.False(set.Complete);
        Assert.Contains("could not be read", set.WhyIncomplete);
    }

    [Fact]
    public void PathsAWalkWouldNotRecordAreDroppedAsTheTrackerDropsThem()
    {
        bool Keep(byte[] p) => PathBytes.IsWithin(p, "/srv"u8) && !PathBytes.Display(p).EndsWith(".tmp");
        var (result, set) = Import([Log("log0", "0 MOD /srv/a\n0 MOD /etc/passwd\n0 NEW /srv/x.tmp\n")], Keep);
        Assert.Equal((1, 2), (result.Imported, result.Dropped));
        Assert.Equal(["/srv/a"], Show(set.Changed));
        Assert.True(set.Complete, set.WhyIncomplete);
    }

    [Fact]
    public void AnImportThatBeganButNeverFinishedLeavesTheIntervalIncomplete()
    {
        using var journal = ChangeJournal.Open(_dir["journal"]);
        long first = journal.Cut(TimeSpan.Zero);
        journal.WriteImport(new LogImported(DateTimeOffset.UtcNow, 5, Finished: false, Complete: false, ["log0"], Srv));
        journal.Change(new ChangeRecord(ChangeKind.Modified, PathBytes.From("/srv/a")));   // then the importer died
        LogImporter.Import([Log("log1", "0 MOD /srv/b\n")], journal, null, Srv);           // a later run finishes
        long second = journal.Cut(TimeSpan.Zero);
        var set = new JournalReader(_dir["journal"]).ReadBetween(first, second);
        Assert.False(set.Complete);
        Assert.Contains("did not finish", set.WhyIncomplete);
    }
}
