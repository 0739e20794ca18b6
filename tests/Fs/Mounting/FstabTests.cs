// Mounting from /etc/fstab as mount(8) does it: a line `STORE MOUNTPOINT timetravel defaults 0 0` in a temporary
// fstab (mount -T), mount(8) running /sbin/mount.timetravel, which runs `timetravel` found through PATH. All of it
// inside a private mount namespace (unshare -m) where two read-only overlays add the helper to /usr/sbin and a
// `timetravel` wrapper to /usr/local/bin, so nothing on the host changes.
using TimeTravel.Tests.Cli.Support;
using System.Text.RegularExpressions;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class FstabTests(SmallStoreFixture f) : IClassFixture<SmallStoreFixture>
{
    // Runs in the namespace; prints "STEP status" lines. The EXIT trap unmounts and stops the daemon even on failure.
    private const string Script = """
        set -u
        helpers=$1 bin=$2 fstab=$3 mp=$4
        cleanup() {
          pid=$(sed -n 's/.*(pid \([0-9]*\).*/\1/p' "$bin/out" 2>/dev/null | head -n 1)
          grep -q " $mp " /proc/self/mountinfo && umount -l "$mp"
          [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
          true
        }
        trap cleanup EXIT
        mount -t overlay overlay -o "lowerdir=$helpers:/usr/sbin" /usr/sbin || exit 90
        mount -t overlay overlay -o "lowerdir=$bin:/usr/local/bin" /usr/local/bin || exit 91
        mount -T "$fstab" -a >"$bin/out" 2>&1; echo "mount-a $?"
        cat "$bin/out"
        echo "mounts $(grep -c " $mp " /proc/self/mountinfo)"
        echo "source $(findmnt -rn -M "$mp" -o SOURCE,FSTYPE)"
        ls "$mp" | sed 's/^/listed /'
        mount -T "$fstab" -a; echo "mount-a-again $?"
        mount -T "$fstab" "$mp"; echo "mount-target-again $?"
        echo "mounts-after-repeats $(grep -c " $mp " /proc/self/mountinfo)"
        umount "$mp"; echo "umount $?"
        echo "mounts-after-umount $(grep -c " $mp " /proc/self/mountinfo)"
        """;

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    // Regression: the mount's source was "timetravel:STORE", which matches no fstab line, so once mounted `mount -a`
    // tried again and failed with status 32 ("already mounted").
    [Fact]
    public void An_fstab_line_mounts_with_mount_a_twice_and_unmounts_with_umount()
    {
        string work = TempDir.Create("tt-fstab-"), mp = Path.Combine(work, "snapshots");
        string helpers = Path.Combine(work, "helpers"), bin = Path.Combine(work, "bin"), fstab = Path.Combine(work, "fstab");
        int daemon = 0;
        try
        {
            Directory.CreateDirectory(mp);
            Directory.CreateDirectory(helpers);
            Directory.CreateDirectory(bin);
            File.Copy(RepositoryFile("fs/mount.timetravel"), Path.Combine(helpers, "mount.timetravel"));
            File.WriteAllText(Path.Combine(bin, "timetravel"), $"#!/bin/sh\nexec {TimeTravel.Tests.Cli.Support.TimeTravelCli.ShellCommand} \"$@\"\n");
            foreach (var exe in new[] { Path.Combine(helpers, "mount.timetravel"), Path.Combine(bin, "timetravel") })
                File.SetUnixFileMode(exe, (UnixFileMode)0x1ED);
            File.WriteAllText(fstab, $"# a test fstab\n{f.Store}  {mp}  timetravel  defaults,nofail  0  0\n");

            var r = TestMount.Run("unshare", "--mount", "--propagation", "private", "sh", "-c", Script, "sh", helpers, bin, fstab, mp);
            string output = r.Text + r.Stderr;
            if (Regex.Match(output, @"\(pid (\d+)") is { Success: true } m) daemon = int.Parse(m.Groups[1].Value);
            string Step(string name) => Regex.Match(output, $@"^{name} (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();

            Assert.True(Step("mount-a") == "0", "mount -a failed:\n" + output);
            Assert.Equal("1", Step("mounts"));
            Assert.Equal($"{f.Store} fuse.timetravel", Step("source"));
            Assert.Contains($"listed {SmallStoreFixture.Name}", output);
            Assert.True(Step("mount-a-again") == "0", "a second mount -a did not see the line mounted:\n" + output);
            Assert.True(Step("mount-target-again") == "0", "mount MOUNTPOINT on a mounted store failed:\n" + output);
            Assert.Equal("1", Step("mounts-after-repeats"));
            Assert.Equal("0", Step("umount"));
            Assert.Equal("0", Step("mounts-after-umount"));
            Assert.True(daemon > 0, "no daemon pid in the output:\n" + output);
            Assert.True(Mounts.WaitUntil(() => !MountDaemon.IsRunning(daemon), TimeSpan.FromSeconds(10)), "the daemon outlived umount");
        }
        finally
        {
            if (daemon > 0 && MountDaemon.IsRunning(daemon)) TestMount.Run("kill", "-9", daemon.ToString());
            Mounts.RemoveTree(work);
        }
    }
}
