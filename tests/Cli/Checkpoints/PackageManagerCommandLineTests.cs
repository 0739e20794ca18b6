// The pre checkpoint's note is the nearest package manager among the hook's parent processes.
using TimeTravel.Cli.Apt;
using Xunit;

namespace TimeTravel.Tests.Cli.Checkpoints;

public class PackageManagerCommandLineTests
{
    private static Func<int, (int, string, string)?> Table(params (int Pid, int Parent, string Comm, string Line)[] rows) =>
        pid => rows.FirstOrDefault(r => r.Pid == pid) is { Comm: not null } r ? (r.Parent, r.Comm, r.Line) : null;

    [Fact]
    public void AptsHookFindsAptAboveTheShellAndTimeout()
    {
        var table = Table((50, 40, "timetravel", "timetravel apt-hook pre"), (40, 30, "timeout", "timeout 600 timetravel"),
            (30, 20, "sh", "sh -c ..."), (20, 10, "apt-get", "apt-get install -y ./hello.deb"), (10, 1, "bash", "bash"));
        Assert.Equal("apt: apt-get install -y ./hello.deb", PackageManagerCommandLine.Find(50, table));
    }

    [Fact]
    public void DpkgsOwnHookIsNotedAsDpkg()
    {
        var table = Table((50, 40, "timetravel", "x"), (40, 30, "sh", "sh -c"), (30, 20, "dpkg", "dpkg -i hello.deb"), (20, 1, "sudo", "sudo dpkg -i hello.deb"));
        Assert.Equal("dpkg: dpkg -i hello.deb", PackageManagerCommandLine.Find(50, table));
    }

    [Fact]
    public void NoPackageManagerAboveSaysSo()
    {
        var table = Table((50, 40, "timetravel", "x"), (40, 1, "bash", "bash"));
        Assert.Equal("apt: (command line not found)", PackageManagerCommandLine.Find(50, table));
        Assert.Equal("apt: (command line not found)", PackageManagerCommandLine.Find(50, _ => null));
    }
}
