// scripts/ceph-rgw.sh when a daemon does not come up: `start` exits non-zero naming the daemon, shows the end of its
// output, and stops what it had started, so a failed start leaves nothing running. The failure is injected by a
// radosgw on PATH that exits at once (the mon and the OSD are the real ones).
using Xunit;

namespace TimeTravel.Tests;

[Collection(CephGateway.Collection)]
[NeedsCeph]
public sealed class CephRgwScriptTests
{
    [Fact]
    public void StartWhoseGatewayFailsShowsItsOutputAndStopsTheMonAndOsd()
    {
        using var dir = new TempDir("tt-ceph-fail");
        var bin = Directory.CreateDirectory(dir["bin"]).FullName;
        File.WriteAllText(Path.Combine(bin, "radosgw"), "#!/bin/sh\necho 'radosgw: injected start failure' >&2\nexit 3\n");
        File.SetUnixFileMode(Path.Combine(bin, "radosgw"), (UnixFileMode)0x1ED);
        var cluster = dir["cluster"];
        int port = Enumerable.Range(7480, 40).First(p => CephGateway.IsFree(p) && CephGateway.IsFree(p + 100));

        try
        {
            var path = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
            var (code, _, err) = Shell.Try("/usr/bin/env", $"PATH={path}", CephGateway.FindScript(), "start", cluster, port.ToString());

            Assert.Equal(1, code);
            Assert.Contains("FAILED: rgw exited while starting", err);
            Assert.Contains("radosgw: injected start failure", err);
            Assert.Contains("mon stopped", err);
            Assert.Contains("osd stopped", err);
            Assert.False(File.Exists(Path.Combine(cluster, "pids")));
            Assert.Empty(LiveProcesses.Naming(Path.Combine(cluster, "ceph.conf")));
        }
        finally
        {
            Shell.Try(CephGateway.FindScript(), "stop", cluster);
        }
    }
}
