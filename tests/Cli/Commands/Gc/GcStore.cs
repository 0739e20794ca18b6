// A real store for the gc tests, built through the CLI: a source tree of random files that changes a little each
// "day" (three files get new content, one is added, one removed), 1 MiB arenas so a small store has many, and for
// every snapshot the sha256 of each file as it was when taken.
using System.Security.Cryptography;
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

internal sealed class GcStore : IDisposable
{
    private readonly TempDir _dir;
    private readonly Random _random;
    private int _next;

    public string Store { get; }
    public string Source { get; }
    public List<(string Name, Dictionary<string, string> Files)> Taken { get; } = [];

    public GcStore(string tag, int files = 30, int seed = 11, string? storePath = null)
    {
        _dir = new TempDir(tag);
        _random = new Random(seed);
        Store = storePath ?? _dir["store"];
        Source = _dir["src"];
        Directory.CreateDirectory(Source);
        for (int i = 0; i < files; i++) WriteFile($"file{_next++:D3}");
        Ok(Tt("init", Source, "--arena-size", (1 << 20).ToString()));
    }

    public string this[string relative] => _dir[relative];

    public void WriteFile(string name) => File.WriteAllBytes(Path.Combine(Source, name), RandomBytes(_random.Next(20_000, 150_000)));

    public byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        _random.NextBytes(b);
        return b;
    }

    /// <summary>A day's changes: three files rewritten, one added, one removed.</summary>
    public void Day()
    {
        var names = Directory.GetFiles(Source).Select(Path.GetFileName).Order().ToList();
        for (int i = 0; i < 3; i++) WriteFile(names[_random.Next(names.Count)]!);
        WriteFile($"file{_next++:D3}");
        File.Delete(Path.Combine(Source, names[_random.Next(names.Count)]!));
    }

    /// <summary>Takes a snapshot (at <paramref name="time"/>, ISO 8601, when given) and saves its files' digests.</summary>
    public string Snapshot(string? time = null)
    {
        Ok(time is null ? Tt("snapshot") : Tt("snapshot", "--time", time));
        string name = Names().Last();
        Taken.Add((name, Sha(Source)));
        return name;
    }

    public List<string> Names() =>
        JsonDocument.Parse(Ok(Tt("list", "--json")).Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();

    public static Dictionary<string, string> Sha(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    public CliResult Tt(params string[] args) => TimeTravelCli.Run(Store, args);

    public static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    public JsonElement Gc(params string[] args) => JsonDocument.Parse(Ok(Tt(["gc", "--json", .. args])).Stdout).RootElement;

    public void VerifyClean()
    {
        var r = Tt("verify", "--read-data", "--json");
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.True(r.ExitCode == 0 && doc.GetProperty("ok").GetBoolean(), r.ToString());
    }

    /// <summary>Bytes of the arena files (what gc frees and a fresh store is compared by).</summary>
    public long ArenaBytes() => Directory.GetFiles(Path.Combine(Store, "arenas")).Sum(f => new FileInfo(f).Length);

    /// <summary>The snapshot's files as the mount (or a path) shows them, against what was recorded when it was taken.</summary>
    public void AssertSame(string name, string snapshotSourceDir)
    {
        var expected = Taken.Last(t => t.Name == name).Files; // a name freed by forget may be taken again
        Assert.Equal(expected, Sha(snapshotSourceDir));
    }

    public void Dispose() => _dir.Dispose();
}
