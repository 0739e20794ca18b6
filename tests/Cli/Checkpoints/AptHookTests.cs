// `timetravel apt-hook` never fails the package manager: no store, a store locked by another writer, a damaged
// store, a crashing, missing or hung program behind the shipped hook lines: exit 0, quickly, with a "timetravel:"
// line. And a pre/post pair it takes shows in `list` and survives `catalog rebuild`.
using System.Diagnostics;
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

public sealed class AptHookTests : IDisposable
{
    private readonly TempDir _dir = new("tt-apthook");
    public void Dispose() => _dir.Dispose();

    private string Log => _dir["hook.log"];

    private (string Src, string Store) NewStore()
    {
        string src = _dir["src"], store = _dir["store"];
        Directory.CreateDirectory(src);
        File.WriteAllText(Path.Combine(src, "a.txt"), "a\n");
        var r = TimeTravelCli.Run(store, "init", src);
        Assert.True(r.ExitCode == 0, r.ToString());
        return (src, store);
    }

    private CliResult Hook(string store, string phase, params string[] more)
    {
        var clock = Stopwatch.StartNew();
        var r = TimeTravelCli.Run(store, ["apt-hook", phase, "--log", Log, .. more]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"apt-hook {phase} took {clock.Elapsed}");
        return r;
    }

    private static List<JsonElement> List(string store) =>
        JsonDocument.Parse(TimeTravelCli.Run(store, "list", "--json").Stdout).RootElement.EnumerateArray().ToList();

    [Fact]
    public void WithoutAStoreTheHookDoesNothingAndSucceeds()
    {
        foreach (var phase in new[] { "pre", "post" })
        {
            var r = Hook(_dir["no-store"], phase);
            Assert.Equal("", r.Stdout + r.Stderr);
        }
        Assert.False(Directory.Exists(_dir["no-store"]));
        Assert.False(File.Exists(Log));
    }

    [Fact]
    public void AStoreLockedByAnotherWriterIsWaitedForBrieflyThenGivenUpOn()
    {
        var (_, store) = NewStore();
        // Another writer: flock(1) holds the store's writer lock (the same flock WriterLock takes) until it is killed.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", Path.Combine(store, "lock"), "sleep", "120"]))!;
        try
        {
            Thread.Sleep(300);
            var clock = Stopwatch.StartNew();
            var r = Hook(store, "pre", "--wait", "1");
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 20);
            Assert.Contains("timetravel: apt-hook pre: gave up after 1 s", r.Stderr);
            Assert.Contains("the store is locked by", r.Stderr);
            Assert.Contains("gave up after 1 s", File.ReadAllText(Log));
        }
        finally
        {
            TimeTravelCli.Signal(holder.Id, "KILL");
            holder.WaitForExit();
        }
        Assert.Empty(List(store));
    }

    [Fact]
    public void ADamagedStoreIsLoggedAndTheHookStillSucceeds()
    {
        var (_, store) = NewStore();
        File.WriteAllText(Path.Combine(store, "catalog.db"), "not a catalog");
        var r = Hook(store, "pre");
        Assert.Contains("timetravel: apt-hook pre failed:", r.Stderr);
        Assert.Contains("the package manager goes on", File.ReadAllText(Log));
    }

    [Fact]
    public void AWrongPhaseIsLoggedNotFailed()
    {
        var (_, store) = NewStore();
        Assert.Contains("'sideways' is neither pre nor post", Hook(store, "sideways").Stderr);
    }

    [Fact]
    public void APreAndPostPairShowsInListWithNotesAndSurvivesACatalogRebuild()
    {
        var (src, store) = NewStore();
        Hook(store, "pre");
        Assert.True(File.Exists(Path.Combine(store, "apt-hook.state")));
        File.WriteAllText(Path.Combine(src, "b.txt"), "b\n");
        Hook(store, "post");
        Assert.False(File.Exists(Path.Combine(store, "apt-hook.state")));

        string Pairs() => string.Join("\n", List(store).Select(s =>
            $"{s.GetProperty("id")} {s.GetProperty("name")} pinned={s.GetProperty("pinned")} note={s.GetProperty("note")} " +
            $"pre={(s.TryGetProperty("pre", out var p) ? p.GetProperty("id") + "/" + p.GetProperty("name") : "-")}"));
        var snaps = List(store);
        Assert.Equal(2, snaps.Count);
        Assert.True(snaps[0].GetProperty("pinned").GetBoolean());
        Assert.StartsWith("apt: ", snaps[0].GetProperty("note").GetString());
        Assert.Equal(snaps[0].GetProperty("id").GetInt64(), snaps[1].GetProperty("pre").GetProperty("id").GetInt64());
        Assert.False(snaps[1].GetProperty("pinned").GetBoolean());
        string text = TimeTravelCli.Run(store, "list").Stdout;
        Assert.Contains($"post of {snaps[0].GetProperty("name").GetString()}: ", text);
        string log = File.ReadAllText(Log);
        Assert.Contains("apt-hook pre: checkpoint", log);
        Assert.Contains($"post of {snaps[0].GetProperty("name").GetString()}", log);

        string before = Pairs();
        File.Delete(Path.Combine(store, "catalog.db"));
        var rebuilt = TimeTravelCli.Run(store, "catalog", "rebuild");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
        Assert.Equal(before, Pairs());
    }

    /// <summary>A file of cli/apt in the repository this test was built from.</summary>
    public static string ShippedFile(string name) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../cli/apt", name));

    // The lines install.sh writes into /etc/apt/apt.conf.d/80timetravel, with `program` for the timetravel binary.
    private static List<string> ShippedAptLines(string program) =>
        File.ReadAllLines(ShippedFile("80timetravel"))
            .Where(l => l.StartsWith("DPkg::", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('"') + 1)..l.LastIndexOf('"')].Replace("@TIMETRAVEL@", program).Replace("@STORE@", "--store /nonexistent"))
            .ToList();

    private string Script(string name, string body)
    {
        string path = _dir[name];
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    private static (int Status, string Stderr, TimeSpan Took) Sh(string line)
    {
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo("sh", ["-c", line]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err, clock.Elapsed);
    }

    [Fact]
    public void TheShippedAptLinesLetAptGoOnWhenTheProgramCrashesOrIsMissing()
    {
        var crashing = Script("crashing", "kill -SEGV $$");
        foreach (var line in ShippedAptLines(crashing))
        {
            var (status, err, _) = Sh(line);
            Assert.True(status == 0, err);
            Assert.Contains("timetravel: the apt hook failed with status 139, apt goes on", err);
        }
        foreach (var line in ShippedAptLines(_dir["missing"]))
            Assert.Equal((0, ""), (Sh(line).Status, Sh(line).Stderr));
    }

    [Fact]
    public void TheShippedAptLinesEndAHungProgramWithTimeout()
    {
        var hung = Script("hung", "sleep 120");
        // The shipped limit is 10 minutes; the same line with 2 seconds shows what timeout does to a hang.
        string line = ShippedAptLines(hung)[0];
        Assert.Contains("timeout -k 10 600 ", line);
        var (status, err, took) = Sh(line.Replace("timeout -k 10 600 ", "timeout -k 1 2 "));
        Assert.True(status == 0, err);
        Assert.Contains("failed with status 124", err);
        Assert.InRange(took.TotalSeconds, 1.5, 30);
    }
}
