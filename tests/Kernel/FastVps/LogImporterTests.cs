// Importing FastVPS logs: good lines land in the journal, and a bad line makes the next snapshot walk everything.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.FastVps;
using TimeTravel.Kernel.Journal;
using TimeTravel.Kernel.Tracking;
using TimeTravel.Tests.Kernel.Support;
using Xunit;

namespace TimeTravel.Tests.Kernel.FastVps;

public sealed class LogImporterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ChangeSet ImportAndRead(params (string Name, string Content)[] files)
    {
        var paths = files.Select(f => { var p = _dir.Combine(f.Name); File.WriteAllText(p, f.Content); return p; }).ToList();
        using var journal = ChangeJournal.Open(_dir.Combine("journal"));
        long first = journal.Cut(TimeSpan.Zero);
        LogImporter.Import(paths, journal);
        long second = journal.Cut(TimeSpan.Zero);
        return new JournalReader(_dir.Combine("journal")).ReadBetween(first, second, requireTracker: false);
    }

    [Fact]
    public void WellFormedLogsImportAsACompleteSet()
    {
        var set = ImportAndRead(("log0", "0 NEW /srv/a b\n0 MOD /srv/c\n"), ("log1", "0 REM /srv/d\n"));
        Assert.True(set.Complete, set.WhyIncomplete);
        Assert.Equal(["/srv/a b", "/srv/c", "/srv/d"], set.Changed.Select(p => PathBytes.Display(p)).Order());
    }

    [Fact]
    public void AMalformedLineStillImportsTheGoodLinesAndMarksTheSetIncomplete()
    {
        var set = ImportAndRead(("2013-08-12.log", "0 NEW /srv/a\ngarbage\n0 MOD /srv/b\n"));
        Assert.False(set.Complete);
        Assert.True(set.AllSourcesIncomplete);
        Assert.Contains("2013-08-12.log:2", set.WhyIncomplete);
        Assert.Equal(["/srv/a", "/srv/b"], set.Changed.Select(p => PathBytes.Display(p)).Order());
    }
}
