// `latest` and the per-day YYYY-MM-DD entries are symlinks to a snapshot directory (as restic's `latest`): `ls -l`
// shows where they point, `cd` follows them, and with a trailing slash `cp -a` and `find` go into the snapshot;
// without one they handle the link itself, as for any symlink.
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class RootLinksTests(SmallStoreFixture f) : IClassFixture<SmallStoreFixture>
{
    private const string Name = SmallStoreFixture.Name;

    [Fact]
    public void Ls_l_shows_the_links_and_their_targets()
    {
        using var m = new InProcessMount(f.Store);
        var r = TestMount.Run("ls", "-l", m.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"latest -> {Name}", r.Text);
        Assert.Contains($"2024-09-01 -> {Name}", r.Text);
        Assert.Matches($"(?m)^dr.* {Name}$", r.Text);
    }

    [Fact]
    public void Cd_into_latest_works_and_lands_in_the_snapshot()
    {
        using var m = new InProcessMount(f.Store);
        var r = TestMount.Run("sh", "-c", "cd \"$1/latest\" && pwd -P && cat ./\"$2\"/hello.txt", "sh", m.Path, f.Source.Root.TrimStart('/'));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"{m.Path}/{Name}\nhello from the daemon\n", r.Text);
    }

    [Fact]
    public void Cp_a_and_find_with_a_trailing_slash_go_into_the_snapshot_without_one_they_copy_the_link()
    {
        using var m = new InProcessMount(f.Store);
        string dir = TempDir.Create("tt-copy-");
        try
        {
            var cp = TestMount.Run("cp", "-a", m["latest"] + "/", Path.Combine(dir, "copy"));
            Assert.True(cp.ExitCode == 0, cp.Stderr);
            Assert.Equal("hello from the daemon\n", File.ReadAllText(f.Source.In(Path.Combine(dir, "copy"), "", "hello.txt")));

            var link = TestMount.Run("cp", "-a", m["latest"], Path.Combine(dir, "link"));
            Assert.True(link.ExitCode == 0, link.Stderr);
            Assert.Equal(Name, new FileInfo(Path.Combine(dir, "link")).LinkTarget);

            var inside = TestMount.Run("find", m["latest"] + "/");
            Assert.Contains("hello.txt", inside.Text);
            Assert.Equal(m["latest"] + "\n", TestMount.Run("find", m["latest"]).Text);
        }
        finally { Mounts.RemoveTree(dir); }
    }
}
