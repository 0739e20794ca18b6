// A store of eight snapshots for the retention command tests, made once through the CLI: 1 to 4 January 2026 at 10:00
// and 16:00 UTC, each adding a file. Each test works on its own copy (Copy), so tests that forget do not meet.
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class RetentionStoreFixture : IDisposable
{
    public static readonly string[] Names =
    [
        "2026-01-01_1000", "2026-01-01_1600", "2026-01-02_1000", "2026-01-02_1600",
        "2026-01-03_1000", "2026-01-03_1600", "2026-01-04_1000", "2026-01-04_1600",
    ];

    private readonly TempDir _dir = new("tt-retention");
    public string Source => _dir["src"];
    private string Template => _dir["store"];

    public RetentionStoreFixture()
    {
        try
        {
            Directory.CreateDirectory(Source);
            Assert.Equal(0, TimeTravelCli.Run(Template, "init", Source).ExitCode);
            foreach (var name in Names)
            {
                File.WriteAllText(Path.Combine(Source, name + ".txt"), $"written for {name}\n");
                string time = $"{name[..10]}T{name[11..13]}:{name[13..]}:00+00:00";
                var r = TimeTravelCli.Run(Template, "snapshot", "--quiet", "--time", time);
                Assert.True(r.ExitCode == 0, r.ToString());
            }
        }
        catch { Dispose(); throw; }
    }

    /// <summary>A copy of the store for one test, in `dir`.</summary>
    public string Copy(TempDir dir)
    {
        string store = dir["store"];
        Shell.Run("cp", "-a", Template, store);
        return store;
    }

    public void Dispose() => _dir.Dispose();
}
