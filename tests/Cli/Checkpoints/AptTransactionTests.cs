// The hooks around real package transactions: a tiny .deb built here (dpkg-deb --build) whose files land in the
// store's source, installed by `apt-get install ./pkg.deb` with the shipped 80timetravel as the only extra APT config,
// then removed and reinstalled by a plain `dpkg` with the shipped dpkg.cfg lines. Each transaction gives one pair:
// the pre checkpoint lacks the package's files, the post has them, the notes name the package. Purged in finally.
using System.Diagnostics;
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

[NeedsRoot]
public sealed class AptTransactionTests : IDisposable
{
    private const string Package = "timetravel-hook-probe";
    private readonly TempDir _dir = new("tt-apt");
    private readonly string _src, _store, _deb;

    public AptTransactionTests()
    {
        _src = _dir["src"];
        _store = _dir["store"];
        Directory.CreateDirectory(Path.Combine(_src, "etc"));
        File.WriteAllText(Path.Combine(_src, "etc", "before.conf"), "already here\n");
        var r = TimeTravelCli.Run(_store, "init", _src);
        Assert.True(r.ExitCode == 0, r.ToString());
        _deb = BuildDeb();
    }

    public void Dispose()
    {
        Run("dpkg", "--purge", Package);
        _dir.Dispose();
    }

    // The package installs SRC/opt/probe/{probe.txt,bin/probe}: into the source, wherever this test's temp dir is.
    private string BuildDeb()
    {
        string root = _dir["pkg"];
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            $"Package: {Package}\nVersion: 1.0-1\nArchitecture: all\nMaintainer: TimeTravel tests <root@localhost>\nDescription: files for the apt hook test\n");
        string files = Path.Combine(root, _src.TrimStart('/'), "opt", "probe");
        Directory.CreateDirectory(Path.Combine(files, "bin"));
        File.WriteAllText(Path.Combine(files, "probe.txt"), "installed by the probe package\n");
        File.WriteAllText(Path.Combine(files, "bin", "probe"), "#!/bin/sh\necho probe\n");
        File.SetUnixFileMode(Path.Combine(files, "bin", "probe"), (UnixFileMode)0x1ED);
        string deb = _dir["probe.deb"];
        var (status, output) = Run("dpkg-deb", "--root-owner-group", "--build", root, deb);
        Assert.True(status == 0, output);
        return deb;
    }

    private static (int Status, string Output) Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException($"{program} {string.Join(' ', args)}"); }
        return (p.ExitCode, output + err.Result);
    }

    // The timetravel the hooks run: this build's, with the log kept in the test's directory.
    private string Program()
    {
        string path = _dir["timetravel"];
        File.WriteAllText(path, $"#!/bin/sh\nexec {TimeTravelCli.ShellCommand} \"$@\" --log '{_dir["hook.log"]}'\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        return path;
    }

    // A shipped hook file as install.sh writes it (the store is not the default: --store is written in).
    private string Installed(string shipped) =>
        File.ReadAllText(AptHookTests.ShippedFile(shipped)).Replace("@TIMETRAVEL@", Program()).Replace("@STORE@", $"--store '{_store}'");

    private List<JsonElement> List() =>
        JsonDocument.Parse(TimeTravelCli.Run(_store, "list", "--json").Stdout).RootElement.EnumerateArray().ToList();

    private bool InSnapshot(string snapshot, string path) => TimeTravelCli.Run(_store, "cat", snapshot, path).ExitCode == 0;

    [Fact]
    public void AnAptInstallAndAPlainDpkgRunEachGiveOnePairThatNotesThePackage()
    {
        string probe = Path.Combine(_src, "opt", "probe", "probe.txt");
        string aptConf = _dir["apt.conf"];
        File.WriteAllText(aptConf, Installed("80timetravel"));
        // The dpkg hook is also in force for apt's dpkg runs (as it is once installed): it must stay out of them. Its
        // lines go to dpkg as --pre-invoke/--post-invoke (what a dpkg.cfg.d line is), each through a script holding the
        // line exactly, since dpkg runs a hook with sh -c either way.
        string[] dpkgHooks = Installed("dpkg.cfg").Split('\n').Where(l => l.Contains("-invoke=")).Select(l =>
        {
            string name = l[..l.IndexOf('=')];
            string script = _dir[name + ".sh"];
            File.WriteAllText(script, "#!/bin/sh\n" + l[(name.Length + 1)..] + "\n");
            File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
            return $"--{name}={script}";
        }).ToArray();
        Assert.Equal(2, dpkgHooks.Length);
        File.AppendAllText(aptConf, string.Concat(dpkgHooks.Select(h => $"DPkg::Options:: \"{h}\";\n")));

        var apt = Run("apt-get", "-c", aptConf, "-o", "DPkg::Lock::Timeout=120", "install", "-y", _deb);
        Assert.True(apt.Status == 0, apt.Output);
        Assert.True(File.Exists(probe), apt.Output);
        Assert.Contains("timetravel: apt-hook pre: checkpoint", apt.Output);

        var snaps = List();
        Assert.True(snaps.Count == 2, apt.Output + "\n" + string.Join("\n", snaps));
        var (pre, post) = (snaps[0], snaps[1]);
        Assert.True(pre.GetProperty("pinned").GetBoolean());
        Assert.StartsWith("apt: apt-get -c ", pre.GetProperty("note").GetString());
        Assert.EndsWith($"install -y {_deb}", pre.GetProperty("note").GetString());
        Assert.Equal(pre.GetProperty("id").GetInt64(), post.GetProperty("pre").GetProperty("id").GetInt64());
        Assert.Equal($"install {Package}:all 1.0-1", post.GetProperty("note").GetString());
        Assert.False(InSnapshot(pre.GetProperty("name").GetString()!, probe));
        Assert.True(InSnapshot(post.GetProperty("name").GetString()!, probe));

        // A plain dpkg run outside apt: the dpkg hook's lines, as dpkg reads them from /etc/dpkg/dpkg.cfg.d/timetravel.
        var remove = Run("dpkg", [.. dpkgHooks, "--remove", Package]);
        Assert.True(remove.Status == 0, remove.Output);
        Assert.False(File.Exists(probe));
        snaps = List();
        Assert.True(snaps.Count == 4, remove.Output + "\n" + string.Join("\n", snaps));
        var (dpre, dpost) = (snaps[2], snaps[3]);
        Assert.Equal($"dpkg: dpkg {string.Join(' ', dpkgHooks)} --remove {Package}", dpre.GetProperty("note").GetString());
        Assert.True(dpre.GetProperty("pinned").GetBoolean());
        Assert.Equal(dpre.GetProperty("id").GetInt64(), dpost.GetProperty("pre").GetProperty("id").GetInt64());
        Assert.Equal($"remove {Package}:all 1.0-1", dpost.GetProperty("note").GetString());
        Assert.True(InSnapshot(dpre.GetProperty("name").GetString()!, probe));
        Assert.False(InSnapshot(dpost.GetProperty("name").GetString()!, probe));

        string list = TimeTravelCli.Run(_store, "list").Stdout;
        Assert.Contains($"post of {pre.GetProperty("name").GetString()}: install {Package}:all 1.0-1", list);
        Assert.Contains($"post of {dpre.GetProperty("name").GetString()}: remove {Package}:all 1.0-1", list);
    }
}
