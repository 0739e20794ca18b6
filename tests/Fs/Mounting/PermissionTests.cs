// The mount is made by root for everyone (allow_other) and the kernel enforces the recorded owners and modes
// (default_permissions): a real unprivileged user sees through the mount exactly what they could see in the source.
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsRoot]
[NeedsFuse]
public sealed class PermissionTests(FullTreeMountFixture f) : IClassFixture<FullTreeMountFixture>
{
    private static TestMount.Result AsNobody(params string[] command) => As(65534, 65534, command);

    private static TestMount.Result As(int uid, int gid, params string[] command) =>
        TestMount.Run("setpriv", [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", .. command]);

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

    // Regression: the mount did not ask for FUSE_CAP_POSIX_ACL, so the kernel checked the mode bits only, whose group
    // bits hold the ACL mask: uid 4321 (group 100) read acl-grant.txt, which its ACL denies, and uid 1234 could not.
    [Fact]
    public void The_recorded_acls_grant_and_deny_as_they_did_in_the_source()
    {
        foreach (var (where, path) in new[] { ("source", f.Source["acl-grant.txt"]), ("mount", f.Mounted("acl-grant.txt")) })
        {
            var granted = As(1234, 1234, "cat", path);
            Assert.True(granted.ExitCode == 0, $"{where}: the ACL entry user:1234:r-- does not let uid 1234 read: {granted.Stderr}");
            Assert.Equal("granted by acl\n", granted.Text);
            var denied = As(4321, 100, "cat", path);
            Assert.True(denied.ExitCode != 0, $"{where}: the ACL entry group::--- does not keep group 100 out: it read {denied.Text}");
            Assert.Contains("Permission denied", denied.Stderr);
        }
    }

    [Fact]
    public void An_acl_opens_a_0700_directory_to_the_user_it_names_only()
    {
        foreach (var (where, path) in new[] { ("source", f.Source["acl-private"]), ("mount", f.Mounted("acl-private")) })
        {
            var ls = As(1234, 1234, "ls", path);
            Assert.True(ls.ExitCode == 0, $"{where}: {ls.Stderr}");
            Assert.Equal("file\n", ls.Text);
            Assert.Equal("inside\n", As(1234, 1234, "cat", Path.Combine(path, "file")).Text);
            var other = As(4321, 0, "ls", path);
            Assert.True(other.ExitCode != 0, $"{where}: uid 4321 listed a directory only uid 1234 may list");
            Assert.Contains("Permission denied", other.Stderr);
        }
    }
}
