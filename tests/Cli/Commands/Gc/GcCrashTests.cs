// kill -9 of gc at 30 moments — paused at each of its phases, then at random delays — each followed by a clean
// `verify --read-data`; the next gc finishes or undoes the interrupted one, and the last leaves nothing to free.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands.Gc;

public sealed class GcCrashTests
{
    private static readonly string[] Phases = ["marked", "planned", "copied", "indexed", "locked", "switched"];

    [Fact]
    public void Gc_killed_at_30_moments_never_damages_a_kept_snapshot_and_the_next_gc_finishes_the_job()
    {
        using var s = new GcStore("tt-gc-crash", files: 24);
        for (int day = 0; day < 8; day++) { if (day > 0) s.Day(); s.Snapshot(); }
        var random = new Random(5);
        for (int i = 0; i < 30; i++)
        {
            // New garbage each round: a new day, and the oldest snapshot forgotten.
            s.Day();
            s.Snapshot();
            var names = s.Names();
            GcStore.Ok(s.Tt("forget", names[0]));
            string pause = s[$"pause{i}"];
            var env = new Dictionary<string, string>();
            if (i < Phases.Length * 2) env["TIMETRAVEL_TEST_GC_PAUSE"] = $"{Phases[i % Phases.Length]}:{pause}";
            using var gc = TimeTravelCli.StartWith(env, s.Store, "gc", "--threshold", "0.95");
            if (env.Count > 0) Mounts.WaitUntil(() => File.Exists(pause + ".waiting") || gc.HasExited, TimeSpan.FromSeconds(60));
            else Thread.Sleep(random.Next(0, 400));
            gc.Kill9();
            gc.Wait();
            s.VerifyClean();
        }
        s.Gc("--threshold", "0.95");
        s.VerifyClean();
        Assert.Equal(0, s.Gc("--dry-run", "--threshold", "0.95").GetProperty("planFreesBytes").GetInt64());
        Assert.Equal("timetravel-gc 1\nphase idle", string.Join('\n', File.ReadAllLines(Path.Combine(s.Store, "gc", "state")).Take(2)));
        Assert.Empty(Directory.GetFiles(Path.Combine(s.Store, "gc"), "*.tti"));
        // Every kept snapshot reads back as it was taken.
        foreach (var name in s.Names())
            foreach (var (file, sha) in s.Taken.Last(t => t.Name == name).Files)
                Assert.Equal(sha, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(GcStore.Ok(s.Tt("cat", name, s.Source + "/" + file)).StdoutBytes)));
    }
}
