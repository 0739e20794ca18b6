// Who may see what through the hidden .history view of a real mount, as real unprivileged users (tt-hist1,
// tt-hist2): a version of a file is reachable only if, in the snapshot it comes from, every directory on its path
// let the user search it (mode and ACLs as recorded then), and it is readable only if the file let them read it.
// Regression: .history showed a directory with the mode of its newest version and no ACL, so a file that sat in a
// 0700 directory, or behind `u:USER:---`, was listed and read through it while the snapshot view refused.
using TimeTravel.Store;
using TimeTravel.Store.Catalog;
using TimeTravel.Store.Snapshots;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

[NeedsRoot, NeedsFuse]
public sealed class HistoryPermissionTests : IDisposable
{
    private readonly TempDir _dir = new("tt-hperm");
    private readonly string _store, _src;
    private readonly List<string> _names = [];
    private readonly (uint Uid, uint Gid) _user1 = TestUsers.User("tt-hist1"), _user2 = TestUsers.User("tt-hist2");

    public HistoryPermissionTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(_src);
        using var repo = Repository.Init(_store);
        repo.Catalog.AddSource(new SourceRecord(_src, []));
    }

    // Runs a shell script in the source, as root.
    private void InSource(string script) => Shell.Run("sh", "-ec", $"cd '{_src}'\n{script}");

    // A snapshot an hour after the one before; its name as the catalog has it.
    private string Snapshot()
    {
        using (var repo = Repository.OpenWriter(_store, "test"))
            new SnapshotWriter(repo, new SnapshotOptions { Time = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero).AddHours(_names.Count) }).Run();
        using var reader = Repository.OpenReader(_store);
        _names.Add(reader.Catalog.Snapshots()[^1].Name);
        return _names[^1];
    }

    private static TestMount.Result As((uint Uid, uint Gid) user, params string[] command) => AsWithGroups(user, [], command);

    private static TestMount.Result AsWithGroups((uint Uid, uint Gid) user, uint[] groups, params string[] command)
    {
        string[] all = [.. TestUsers.As(user.Uid, user.Gid, groups), .. command];
        return TestMount.Run(all[0], all[1..]);
    }

    private static string[] Lines(TestMount.Result r) => r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void Refused(TestMount.Result r, string what)
    {
        Assert.True(r.ExitCode != 0, $"{what}: allowed, and gave {r.Text}");
        Assert.Empty(r.Stdout);
    }

    private static string Read(TestMount.Result r, string what)
    {
        Assert.True(r.ExitCode == 0, $"{what}: {r.Stderr}");
        return r.Text;
    }

    [Fact]
    public void HistoryRefusesAFileWhoseDirectoryWas0700Then()
    {
        InSource("mkdir d; chmod 0700 d; echo 'secret then' > d/f; echo same > d/same; chmod 0644 d/f d/same");
        string then = Snapshot();
        InSource("chmod 0755 d; echo 'public now' > d/f");
        string now = Snapshot();
        using var mount = new InProcessMount(_store);
        string history = mount[".history"] + _src + "/d";

        // Root reads first, so the kernel holds those names and pages when the user comes.
        Assert.Equal([then, now], Directory.GetFiles(history + "/f").Select(p => Path.GetFileName(p)!).Order().ToArray());
        Assert.Equal("secret then\n", File.ReadAllText($"{history}/f/{then}"));

        Refused(As(_user1, "cat", $"{mount.Path}/{then}{_src}/d/f"), "the snapshot view");
        Refused(As(_user1, "cat", $"{history}/f/{then}"), ".history");
        Refused(As(_user1, "stat", $"{history}/f/{then}"), ".history");
        Assert.Equal([now], Lines(As(_user1, "ls", $"{history}/f")));
        Assert.Equal("public now\n", Read(As(_user1, "cat", $"{history}/f/{now}"), "the version of the 0755 directory"));
        // Unchanged since the 0700 days: the user sees it from the first snapshot they could reach it in.
        Assert.Equal([now], Lines(As(_user1, "ls", $"{history}/same")));
        Assert.Equal("same\n", Read(As(_user1, "cat", $"{history}/same/{now}"), "the unchanged file"));
        Assert.Equal(["f", "same"], Lines(As(_user1, "ls", history)));
    }

    [Fact]
    public void HistoryStillShowsWhatADirectoryShowedBeforeItBecame0700()
    {
        InSource("mkdir -p p/d; chmod 0755 p p/d; echo 'public then' > p/d/f; chmod 0644 p/d/f");
        string then = Snapshot();
        InSource("chmod 0700 p; echo 'private now' > p/d/f; echo new > p/d/new");
        string now = Snapshot();
        using var mount = new InProcessMount(_store);
        string history = mount[".history"] + _src + "/p/d";
        Assert.Equal("private now\n", File.ReadAllText($"{history}/f/{now}"));

        Assert.Equal([then], Lines(As(_user1, "ls", $"{history}/f")));
        Assert.Equal("public then\n", Read(As(_user1, "cat", $"{history}/f/{then}"), "the version from before p became 0700"));
        Refused(As(_user1, "cat", $"{history}/f/{now}"), "the version from after p became 0700");
        Assert.Equal(["f"], Lines(As(_user1, "ls", history)));
        Refused(As(_user1, "ls", $"{history}/new"), "a file made after p became 0700");
    }

    [Fact]
    public void HistoryHonoursADirectoryAclThatDeniesAUser()
    {
        InSource("mkdir d; chmod 0755 d; echo text > d/f; chmod 0644 d/f; setfacl -m u:tt-hist1:--- d");
        Refused(As(_user1, "cat", $"{_src}/d/f"), "the source");
        string then = Snapshot();
        using var mount = new InProcessMount(_store);
        string history = mount[".history"] + _src + "/d";
        Assert.Equal("text\n", Read(As(_user2, "cat", $"{history}/f/{then}"), "tt-hist2, whom the ACL does not name"));

        Refused(As(_user1, "cat", $"{mount.Path}/{then}{_src}/d/f"), "the snapshot view");
        Refused(As(_user1, "cat", $"{history}/f/{then}"), ".history");
        Assert.Empty(Lines(As(_user1, "ls", history)));
        Assert.Equal(["f"], Lines(As(_user2, "ls", history)));
    }

    [Fact]
    public void HistoryHonoursADirectoryAclThatDeniesAGroupTheUserIsIn()
    {
        uint denied = TestUsers.Group("tt-histg");
        InSource("mkdir d; chmod 0755 d; echo text > d/f; chmod 0644 d/f; setfacl -m g:tt-histg:--- d");
        Refused(AsWithGroups(_user2, [denied], "cat", $"{_src}/d/f"), "the source");
        string then = Snapshot();
        using var mount = new InProcessMount(_store);
        string history = mount[".history"] + _src + "/d";

        Assert.Equal("text\n", Read(As(_user2, "cat", $"{history}/f/{then}"), "tt-hist2 outside the group"));
        Refused(AsWithGroups(_user2, [denied], "cat", $"{history}/f/{then}"), "tt-hist2 in the denied group");
        Assert.Empty(Lines(AsWithGroups(_user2, [denied], "ls", history)));
    }

    // The file's own mode was enforced before the fix too (each version has its recorded attributes): this pins it.
    [Fact]
    public void HistoryChecksEachVersionsOwnModeAsItWasRecorded()
    {
        InSource("echo then > opened; chmod 0600 opened; echo then > closed; chmod 0644 closed");
        string then = Snapshot();
        InSource("echo now > opened; chmod 0644 opened; echo now > closed; chmod 0600 closed");
        string now = Snapshot();
        using var mount = new InProcessMount(_store);
        string history = mount[".history"] + _src;

        Refused(As(_user1, "cat", $"{history}/opened/{then}"), "readable now but not then: then");
        Assert.Equal("now\n", Read(As(_user1, "cat", $"{history}/opened/{now}"), "readable now but not then: now"));
        Assert.Equal("then\n", Read(As(_user1, "cat", $"{history}/closed/{then}"), "readable then but not now: then"));
        Refused(As(_user1, "cat", $"{history}/closed/{now}"), "readable then but not now: now");
    }

    public void Dispose() => _dir.Dispose();
}
