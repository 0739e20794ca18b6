// The mount is made by root for everyone (allow_other) and the kernel enforces the recorded owners and modes
// (default_permissions): a real unprivileged user sees through the mount exactly what they could see in the source.
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

public sealed class PermissionTests(FullTreeMountFixture f) : IClassFixture<FullTreeMountFixture>
{
    private static TestMount.Result AsNobody(params string[] command) =>
        TestMount.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. command]);

    [Fact]
    public void The_test_runs_as_root_so_the_mount_allows_other_users()
    {
        Assert.True(Environment.IsPrivilegedProcess, "these tests mount as root, as CI does");
        Assert.Contains("allow_other", File.ReadLines("/proc/self/mountinfo").First(l => l.Contains(" " + f.Mount.Path + " ")));
    }

    [Fact]
    public void Another_user_reads_a_0644_file()
    {
        var r = AsNobody("cat", f.Mounted("regular.txt"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("hello\n", r.Text);
    }

    [Fact]
    public void Another_user_cannot_read_a_0600_root_file()
    {
        Assert.Equal("top secret\n", File.ReadAllText(f.Mounted("secret"))); // root can
        var r = AsNobody("cat", f.Mounted("secret"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Permission denied", r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Another_user_cannot_list_or_enter_a_0700_directory()
    {
        var ls = AsNobody("ls", f.Mounted("private"));
        Assert.NotEqual(0, ls.ExitCode);
        Assert.Contains("Permission denied", ls.Stderr);
        var cat = AsNobody("cat", f.Mounted("private/inside"));
        Assert.NotEqual(0, cat.ExitCode);
        Assert.Contains("Permission denied", cat.Stderr);
        var sub = AsNobody("ls", f.Mounted("sub"));
        Assert.True(sub.ExitCode == 0, sub.Stderr);
        Assert.Contains("deeper", sub.Text);
    }

    [Fact]
    public void The_root_listing_is_readable_by_everyone()
    {
        var r = AsNobody("ls", f.Mount.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["2024-05-01", FullTreeMountFixture.Name, "latest"], r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
