// `timetravel stats` counts sparse holes in logical bytes only: the dedup ratio is data bytes over unique bytes, so a
// large sparse file no longer makes it absurd (it read 763x on a store with a 22 GB sparse file).
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class StatsCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-stats");
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SparseHolesCountInLogicalBytesButNotInDataBytesNorTheDedupRatio()
    {
        string src = _dir["src"], store = _dir["store"];
        Directory.CreateDirectory(src);
        File.WriteAllBytes(Path.Combine(src, "data.bin"), SourceFiles.Random(1 << 20, 41));
        using (var sparse = new FileStream(Path.Combine(src, "sparse.img"), FileMode.CreateNew))
        {
            sparse.SetLength(4L << 30); // 4 GiB, with one 64 KiB extent of data in the middle
            sparse.Position = 2L << 30;
            sparse.Write(SourceFiles.Random(64 << 10, 42));
        }
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot", "--time", "2026-01-01T10:00:00+00:00").ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot", "--time", "2026-01-02T10:00:00+00:00").ExitCode);

        var r = TimeTravelCli.Run(store, "stats", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var s = JsonDocument.Parse(r.Stdout).RootElement;
        long fileBytes = (1 << 20) + (4L << 30), dataBytes = (1 << 20) + (64 << 10);
        Assert.Equal(2 * fileBytes, s.GetProperty("logicalBytes").GetInt64());
        Assert.Equal(2 * dataBytes, s.GetProperty("dataBytes").GetInt64());
        double dedup = s.GetProperty("dedupRatio").GetDouble();
        Assert.InRange(dedup, 1.8, 2.0); // two snapshots of the same data, less a little for directory blocks

        var text = TimeTravelCli.Run(store, "stats");
        Assert.Contains("data bytes", text.Stdout);
        Assert.Contains("8.0 GiB", text.Stdout);
    }
}
