// `timetravel rollback` as a user runs it: a dry run prints every path with "would ACTION PATH (why)" and the summary,
// --json the same as objects; a path that cannot be rolled back is named and makes exit status 3 while the rest is
// done; a PATH outside the sources and --undo with a snapshot are refused with exit status 1, nothing changed.
using System.Diagnostics;
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public sealed class RollbackCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-rollback-cmd");
    private string Store => _dir["store"];
    private string Src => _dir["src"];
    private readonly string _checkpoint;

    public RollbackCommandTests()
    {
        Directory.CreateDirectory(Src);
        File.WriteAllText(Path.Combine(Src, "a"), "a at the checkpoint\n");
        File.WriteAllText(Path.Combine(Src, "b"), "b at the checkpoint\n");
        Ok("init", Src);
        _checkpoint = JsonDocument.Parse(Ok("snapshot", "--json").Stdout).RootElement.GetProperty("name").GetString()!;
        File.WriteAllText(Path.Combine(Src, "a"), "a changed\n");
        File.WriteAllText(Path.Combine(Src, "b"), "b changed\n");
        File.WriteAllText(Path.Combine(Src, "new"), "made since\n");
    }

    public void Dispose() => _dir.Dispose();

    private CliResult Ok(params string[] args)
    {
        var r = TimeTravelCli.Run(Store, args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [Fact]
    public void DryRunPrintsEveryPathWithItsActionAndWhyAndChangesNothing()
    {
        var r = Ok("rollback", _checkpoint, "--dry-run");
        Assert.Contains($"would replace {Src}/a (content changed)", r.Stdout);
        Assert.Contains($"would remove {Src}/new (file created since {_checkpoint})", r.Stdout);
        Assert.Contains("dry run: would be 0 created, 2 replaced, 0 metadata, 1 removed", r.Stderr);
        Assert.Contains("how the changes were known: walked", r.Stderr);
        Assert.Equal("a changed\n", File.ReadAllText(Path.Combine(Src, "a")));

        var json = JsonDocument.Parse(Ok("rollback", _checkpoint, "--dry-run", "--json").Stdout).RootElement;
        Assert.True(json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, json.GetProperty("replaced").GetInt32());
        var removed = json.GetProperty("paths").EnumerateArray().Single(p => p.GetProperty("action").GetString() == "remove");
        Assert.Equal($"{Src}/new", removed.GetProperty("path").GetString());
        Assert.True(File.Exists(Path.Combine(Src, "new")));
    }

    [Fact]
    [NeedsRoot]
    public void APathThatCannotBeRolledBackIsNamedAndGivesExitStatus3()
    {
        string a = Path.Combine(Src, "a");
        Chattr("+i", a); // immutable: not even root may rename over it
        try
        {
            var r = TimeTravelCli.Run(Store, "rollback", _checkpoint);
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains($"failed {a}", r.Stdout);
            Assert.Contains($"timetravel: {a}:", r.Stderr);
            Assert.Equal("b at the checkpoint\n", File.ReadAllText(Path.Combine(Src, "b")));
            Assert.False(File.Exists(Path.Combine(Src, "new")));
        }
        finally { Chattr("-i", a); }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Src, ".tt-restore-*"));
        // Run again once the file may change: the rollback is done, so this is a new one (undoing nothing but `a`).
        Ok("rollback", _checkpoint);
        Assert.Equal("a at the checkpoint\n", File.ReadAllText(a));
    }

    [Fact]
    public void APathOutsideTheSourcesIsRefusedNamingIt()
    {
        var r = TimeTravelCli.Run(Store, "rollback", _checkpoint, _dir["elsewhere"]);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"{_dir["elsewhere"]}: not in any source", r.Stderr);
        Assert.Equal("a changed\n", File.ReadAllText(Path.Combine(Src, "a")));
    }

    [Fact]
    public void UndoWithASnapshotIsRefused()
    {
        var r = TimeTravelCli.Run(Store, "rollback", "--undo", _checkpoint);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("rollback --undo takes no snapshot", r.Stderr);
    }

    private static void Chattr(string flag, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"chattr {flag} {path}: {p.StandardError.ReadToEnd()}");
    }
}
