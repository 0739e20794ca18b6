// A snapshot of a tree holding every file type, mounted the way `timetravel mount` mounts it, read with the
// tools people restore with (cp -a, tar, rsync -aHAX) and compared to the source byte for byte and field by field.
using TimeTravel.Store.Catalog;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;
using TimeTravel.Store.Interop;

namespace TimeTravel.Tests.Fs.Mounting;

public sealed class FullTreeMountFixture : IDisposable
{
    public static readonly DateTimeOffset Time = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
    public const string Name = "2024-05-01_1000";

    internal SourceTree Source { get; }
    public string Store { get; }
    internal InProcessMount Mount { get; }
    internal SnapshotRecord Snapshot { get; }

    public FullTreeMountFixture()
    {
        Source = SourceTree.Full();
        Store = TempDir.Create("tt-store-");
        try
        {
            Snapshot = Source.Snapshot(Store, Time);
            Mount = new InProcessMount(Store);
        }
        catch
        {
            Source.Dispose();
            Mounts.RemoveTree(Store);
            throw;
        }
    }

    /// <summary>The source tree as the mount shows it.</summary>
    public string Mounted(string relative = "") => Source.In(Mount.Path, Name, relative);

    public void Dispose()
    {
        try { Mount.Dispose(); }
        finally
        {
            Source.Dispose();
            Mounts.RemoveTree(Store);
        }
    }
}

[NeedsRoot]
[NeedsFuse]
public sealed class CopyingOutTests(FullTreeMountFixture f) : IClassFixture<FullTreeMountFixture>
{
    private static void AssertRsyncSeesNoDifference(string source, string copy)
    {
        var r = TestMount.Run("rsync", "-aHAXn", "--numeric-ids", "--itemize-changes", "--checksum", source + "/", copy + "/");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(r.Text == "", "rsync --checksum finds differences:\n" + r.Text);
    }

    private static void WithTempDir(Action<string> body)
    {
        string dir = TempDir.Create("tt-copy-");
        try { body(dir); }
        finally { Mounts.RemoveTree(dir); }
    }

    [Fact]
    public void The_mount_shows_every_file_with_its_metadata_and_content()
    {
        Assert.Equal(FullTreeMountFixture.Name, f.Snapshot.Name);
        TreeManifest.AssertSame(f.Source.Root, f.Mounted());
        Assert.Equal(f.Source.Big, File.ReadAllBytes(f.Mounted("big.bin")));
    }

    [Fact]
    public void Cp_a_copies_everything_out_exactly()
    {
        WithTempDir(dir =>
        {
            string copy = Path.Combine(dir, "copy");
            var r = TestMount.Run("cp", "-a", f.Mounted(), copy);
            Assert.True(r.ExitCode == 0, r.Stderr);
            TreeManifest.AssertSame(f.Source.Root, copy);
            AssertRsyncSeesNoDifference(f.Source.Root, copy);
        });
    }

    [Fact]
    public void Tar_c_piped_to_tar_x_copies_everything_out_exactly()
    {
        WithTempDir(dir =>
        {
            const string flags = "--format=posix --xattrs --xattrs-include='*' --acls --numeric-owner";
            var r = TestMount.Run("sh", "-c", $"set -e; tar -c {flags} -f - -C \"$1\" . | tar -x {flags} -p -f - -C \"$2\"", "sh", f.Mounted(), dir);
            Assert.True(r.ExitCode == 0, r.Stderr);
            TreeManifest.AssertSame(f.Source.Root, dir);
            AssertRsyncSeesNoDifference(f.Source.Root, dir);
        });
    }

    [Fact]
    public void Rsync_aHAX_copies_everything_out_exactly()
    {
        WithTempDir(dir =>
        {
            var r = TestMount.Run("rsync", "-aHAX", "--numeric-ids", f.Mounted() + "/", dir + "/");
            Assert.True(r.ExitCode == 0, r.Stderr);
            TreeManifest.AssertSame(f.Source.Root, dir);
            AssertRsyncSeesNoDifference(f.Source.Root, dir);
        });
    }

    [Fact]
    public void Rsync_sees_no_difference_between_the_source_and_the_mount()
    {
        AssertRsyncSeesNoDifference(f.Source.Root, f.Mounted());
    }

    [Fact]
    public void Getfacl_shows_the_recorded_acls()
    {
        var src = TestMount.Run("getfacl", "-n", "--omit-header", f.Source["acl.txt"], f.Source["acldir"]);
        var mnt = TestMount.Run("getfacl", "-n", "--omit-header", f.Mounted("acl.txt"), f.Mounted("acldir"));
        Assert.True(mnt.ExitCode == 0, mnt.Stderr);
        Assert.Contains("user:1234:r--", mnt.Text);
        Assert.Contains("default:user:1234:r-x", mnt.Text);
        Assert.Equal(src.Text, mnt.Text);
    }

    private static string Stat(string format, params string[] paths)
    {
        var r = TestMount.Run("stat", ["-c", format, .. paths]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Text;
    }

    [Fact]
    public void Hard_links_share_one_inode_number_with_nlink_2()
    {
        var lines = Stat("%i %h", f.Mounted("hard-a"), f.Mounted("sub/hard-b")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[0], lines[1]);
        Assert.EndsWith(" 2", lines[0]);
        Assert.NotEqual(Stat("%i", f.Mounted("hard-a")), Stat("%i", f.Mounted("regular.txt")));
    }

    [Fact]
    public void Inode_numbers_are_the_same_after_a_remount()
    {
        string[] names = ["", "regular.txt", "hard-a", "sub/hard-b", "sub/deeper/deepest/leaf.txt", "link", "fifo", "acldir"];
        string Numbers(InProcessMount m) =>
            Stat("%n %i", [.. names.Select(n => f.Source.In(m.Path, FullTreeMountFixture.Name, n)), Path.Combine(m.Path, FullTreeMountFixture.Name)])
                .Replace(m.Path, "MOUNT");
        string first, second;
        using (var m = new InProcessMount(f.Store)) first = Numbers(m);
        using (var m = new InProcessMount(f.Store)) second = Numbers(m);
        Assert.Equal(first, second);
        Assert.Equal(first, Numbers(f.Mount));
        Assert.Equal(names.Length + 1 - 1, first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).Distinct().Count());
    }

    [Fact]
    public void Every_write_fails_with_EROFS()
    {
        string file = f.Mounted("regular.txt");
        foreach (var (what, r) in new[]
        {
            ("touch existing", TestMount.Run("touch", file)),
            ("touch new", TestMount.Run("touch", f.Mounted("new-file"))),
            ("mkdir", TestMount.Run("mkdir", f.Mounted("new-dir"))),
            ("mkdir at the root", TestMount.Run("mkdir", f.Mount["new-snapshot"])),
            ("rm", TestMount.Run("rm", "-f", file)),
            ("rmdir", TestMount.Run("rmdir", f.Mounted("sub/deeper/deepest"))),
            ("rm -r a snapshot", TestMount.Run("rm", "-rf", f.Mount[FullTreeMountFixture.Name])),
            ("mv", TestMount.Run("mv", file, f.Mounted("moved.txt"))),
            ("chmod", TestMount.Run("chmod", "0777", file)),
            ("chown", TestMount.Run("chown", "0:0", file)),
            ("setfattr", TestMount.Run("setfattr", "-n", "user.x", "-v", "1", file)),
            ("setfattr -x", TestMount.Run("setfattr", "-x", "user.note", f.Mounted("xattr.txt"))),
            ("setfacl", TestMount.Run("setfacl", "-m", "u:1:r", file)),
            ("truncate", TestMount.Run("truncate", "-s", "0", file)),
            ("append", TestMount.Run("sh", "-c", "echo x >> \"$1\"", "sh", file)),
            ("ln -s", TestMount.Run("ln", "-s", "x", f.Mounted("new-link"))),
        })
        {
            Assert.True(r.ExitCode != 0, what + " succeeded on the snapshot mount");
            Assert.True(r.Stderr.Contains("Read-only file system"), $"{what}: {r.Stderr}");
        }
        Assert.Equal("hello\n", File.ReadAllText(file));
        Assert.Equal("644", Stat("%a", file).Trim());
    }

    // stat -f: fundamental block size, total, free and available blocks, total and free inodes.
    private static long[] StatFs(string path)
    {
        var r = TestMount.Run("stat", "-f", "-c", "%S %b %f %a %c %d", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Text.Trim().Split(' ').Select(long.Parse).ToArray();
    }

    // Regression: statfs said the size of the arenas with nothing free (df: 100%) and f_files = the number of blocks.
    [Fact]
    public void Statfs_reports_the_store_as_used_and_the_free_space_of_its_filesystem_as_free()
    {
        long storeBytes = Directory.GetFiles(f.Store, "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);
        var mount = StatFs(f.Mount.Path);
        var host = StatFs(f.Store);
        Assert.Equal(4096, mount[0]);
        Assert.Equal((storeBytes + 4095) / 4096, mount[1] - mount[2]); // used = total - free = the store's files
        Assert.True((mount[1] - mount[2]) * 4096 >= SourceTree.BigSize, "the store holds a 20 MiB file");
        long hostFree = host[2] * host[0] / 4096, hostAvailable = host[3] * host[0] / 4096;
        const long slack = (256 << 20) / 4096; // other processes write to the same filesystem meanwhile
        Assert.InRange(mount[2], hostFree - slack, hostFree + slack);
        Assert.InRange(mount[3], hostAvailable - slack, hostAvailable + slack);
        Assert.Equal(0, mount[4]); // no fixed inode table: df -i shows "-"
        Assert.Equal(0, mount[5]);
    }
}
