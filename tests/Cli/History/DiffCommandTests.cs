// `timetravel diff SNAP_A SNAP_B [PATH]`: added, removed and changed paths between two snapshots, as text and JSON.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

public class DiffCommandTests(HistoryCliFixture f) : IClassFixture<HistoryCliFixture>
{
    [Fact]
    public void ListsAddedRemovedAndChangedPathsBelowAPath()
    {
        var r = f.Run("diff", "2026-11-01_1000", "2026-11-03_1000", f.Src);
        Assert.Equal(
        [
            $"added    {f.Src}/added.txt",
            $"removed  {f.Src}/gone.txt",
            $"changed  {f.Src}/notes.txt (content, metadata)",
        ], r.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void JsonSaysWhatKindOfChange()
    {
        var json = JsonDocument.Parse(f.Run("diff", "--json", "2026-11-02_1000", "2026-11-03_1000", f.Notes).Stdout).RootElement;
        var c = Assert.Single(json.EnumerateArray());
        Assert.Equal("changed", c.GetProperty("change").GetString());
        Assert.False(c.GetProperty("content").GetBoolean());
        Assert.True(c.GetProperty("metadata").GetBoolean());
    }

    [Fact]
    public void AnUnknownSnapshotIsAnError()
    {
        var r = TimeTravelCli.Run(f.Store, "diff", "1999-01-01", "latest");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no snapshot '1999-01-01'", r.Stderr);
    }
}
