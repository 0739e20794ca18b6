// A store with a few snapshots on faked days, taken by the real `timetravel` binary: notes.txt created, edited,
// chmod'ed, deleted and recreated; other files added and removed along the way.
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.History;

public sealed class HistoryCliFixture : IDisposable
{
    private readonly TempDir _dir = new("tt-clihist");
    public string Src => _dir["src"];
    public string Store => _dir["store"];
    public string Notes => _dir["src/notes.txt"];
    public string Scratch(string name) => _dir[name];

    public static string Day(int d) => $"2026-11-{d:D2}T10:00:00+01:00";

    public HistoryCliFixture()
    {
        try
        {
            Directory.CreateDirectory(Src);
            Run("init", Src);
            Write(Notes, "one\ntwo\nthree\n", 1);
            File.WriteAllText(_dir["src/gone.txt"], "short-lived\n");
            // The first snapshot records the store's zone, which its names are in: Berlin, +01:00 in November.
            var (code, _, err) = Shell.Try("env", ["TZ=Europe/Berlin", .. TimeTravelCli.Command, "--store", Store, "snapshot", "--time", Day(1)]);
            Assert.True(code == 0, err);
            Write(Notes, "one\nTWO\nthree\n", 2);
            File.Delete(_dir["src/gone.txt"]);
            Run("snapshot", "--time", Day(2));
            File.SetUnixFileMode(Notes, (UnixFileMode)0x180);
            File.WriteAllText(_dir["src/added.txt"], "new\n");
            Run("snapshot", "--time", Day(3));
            File.Delete(Notes);
            Run("snapshot", "--time", Day(4));
            Write(Notes, "back again\n", 5);
            Run("snapshot", "--time", Day(5));
        }
        catch { _dir.Dispose(); throw; }
    }

    private static void Write(string path, string text, int day)
    {
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 10, day, 12, 0, 0, DateTimeKind.Utc));
    }

    public CliResult Run(params string[] args)
    {
        var r = TimeTravelCli.Run(Store, args);
        Assert.True(r.ExitCode == 0, $"timetravel {string.Join(' ', args)}: {r}");
        return r;
    }

    public void Dispose() => _dir.Dispose();
}
