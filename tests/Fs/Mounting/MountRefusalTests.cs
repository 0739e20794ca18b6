// What `timetravel mount` refuses before mounting anything, with one clear line and exit status 1: a dead mount or a
// file where the mount point should be, and a store whose snapshot list cannot be read (its catalog missing, empty,
// a directory, random bytes). A refused mount writes nothing into the store. A store on a read-only filesystem is
// served (readers open the catalog read-only), never mounted only to fail with EIO.
using TimeTravel.Tests.Cli.Support;
using System.Security.Cryptography;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Mounting;

[NeedsFuse]
public sealed class MountRefusalTests
{
    private const string Name = "2024-09-02_0700";

    private static void AssertRefused(CliResult r, params string[] messages)
    {
        Assert.True(r.ExitCode == 1, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        Assert.StartsWith("timetravel: ", r.Stderr);
        foreach (var m in messages) Assert.Contains(m, r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    // A store with one snapshot of one file, and an empty mount point; both removed afterwards, mounted or not.
    private static void WithStore(Action<string, string, SourceTree> body)
    {
        using var source = SourceTree.Empty();
        string store = TempDir.Create("tt-store-"), mp = TempDir.Create("tt-mp-");
        try
        {
            File.WriteAllText(source["hello.txt"], "hello\n");
            source.Snapshot(store, new DateTimeOffset(2024, 9, 2, 7, 0, 0, TimeSpan.Zero));
            body(store, mp, source);
        }
        finally
        {
            if (Mounts.IsMounted(mp)) Mounts.ForceUnmount(mp);
            Mounts.RemoveTree(mp);
            Mounts.RemoveTree(store);
        }
    }

    private static string Catalog(string store) => Path.Combine(store, "catalog.db");

    // Regression: a deleted catalog.db mounted an empty root (dated 2185) and silently created a new catalog.
    [Fact]
    public void A_store_without_its_catalog_is_refused_and_no_catalog_is_created()
    {
        WithStore((store, mp, _) =>
        {
            File.Delete(Catalog(store));
            AssertRefused(TimeTravelCli.Exec("--store", store, "mount", mp), Catalog(store), "the catalog is missing");
            Assert.False(Mounts.IsMounted(mp));
            Assert.False(File.Exists(Catalog(store)), "the refused mount created a catalog");
        });
    }

    [Fact]
    public void An_empty_catalog_is_refused_and_left_empty()
    {
        WithStore((store, mp, _) =>
        {
            File.WriteAllBytes(Catalog(store), []);
            AssertRefused(TimeTravelCli.Exec("--store", store, "mount", mp), Catalog(store), "the catalog is empty");
            Assert.False(Mounts.IsMounted(mp));
            Assert.Equal(0, new FileInfo(Catalog(store)).Length);
        });
    }

    // Regression: random bytes in catalog.db mounted, then every ls of the root failed with EIO.
    [Fact]
    public void A_catalog_of_random_bytes_is_refused_and_left_as_it_is()
    {
        WithStore((store, mp, _) =>
        {
            var garbage = SourceTree.RandomBytes(64 << 10, 41);
            File.WriteAllBytes(Catalog(store), garbage);
            AssertRefused(TimeTravelCli.Exec("--store", store, "mount", mp), Catalog(store), "damaged");
            Assert.False(Mounts.IsMounted(mp));
            Assert.Equal(SHA256.HashData(garbage), SHA256.HashData(File.ReadAllBytes(Catalog(store))));
        });
    }

    [Fact]
    public void A_catalog_that_is_a_directory_is_refused()
    {
        WithStore((store, mp, _) =>
        {
            File.Delete(Catalog(store));
            Directory.CreateDirectory(Catalog(store));
            AssertRefused(TimeTravelCli.Exec("--store", store, "mount", mp), Catalog(store), "not a file");
            Assert.False(Mounts.IsMounted(mp));
        });
    }

    // Regression: a store on a read-only filesystem mounted, then `ls` failed with EIO ("Read-only file system:
    // catalog.db") because the catalog was opened read-write. Readers open it read-only, so it is served.
    [Fact]
    public void A_store_on_a_read_only_filesystem_is_served()
    {
        WithStore((store, mp, source) =>
        {
            string ro = TempDir.Create("tt-ro-store-");
            try
            {
                Assert.Equal(0, TestMount.Run("mount", "--bind", store, ro).ExitCode);
                var remount = TestMount.Run("mount", "-o", "remount,bind,ro", ro);
                Assert.True(remount.ExitCode == 0, remount.Stderr);
                Assert.NotEqual(0, TestMount.Run("touch", Path.Combine(ro, "probe")).ExitCode);

                using var daemon = new MountDaemon(ro, mp);
                Assert.True(daemon.StartResult.ExitCode == 0, daemon.StartResult.Stderr);
                var ls = TestMount.Run("ls", mp);
                Assert.True(ls.ExitCode == 0, "mounted, but the root cannot be listed: " + ls.Stderr);
                Assert.Contains(Name, ls.Text);
                Assert.Equal("hello\n", File.ReadAllText(source.In(mp, Name, "hello.txt")));
            }
            finally
            {
                if (Mounts.IsMounted(mp)) Mounts.ForceUnmount(mp);
                while (Mounts.IsMounted(ro)) TestMount.Run("umount", "-l", ro);
                Directory.Delete(ro);
            }
        });
    }

    // Regression: on a mount point that was a regular file, the refusal said "does not exist (create it with mkdir -p)".
    [Fact]
    public void A_regular_file_as_mount_point_is_refused_as_not_a_directory()
    {
        WithStore((store, mp, _) =>
        {
            string file = Path.Combine(mp, "file");
            File.WriteAllText(file, "x");
            AssertRefused(TimeTravelCli.Exec("--store", store, "mount", file), file, "not a directory");
            Assert.False(Mounts.IsMounted(file));
            Assert.Equal("x", File.ReadAllText(file));
        });
    }

    // Regression: on a dead FUSE mount ("Transport endpoint is not connected") the refusal said "does not exist".
    // squashfuse, killed with -9, leaves one (it has no auto_unmount); `timetravel umount` then removes it.
    [Fact]
    public void A_dead_mount_at_the_mount_point_is_named_as_such_and_umount_removes_it()
    {
        WithStore((store, mp, source) =>
        {
            string image = Path.Combine(Path.GetTempPath(), $"tt-dead-{Guid.NewGuid():N}.sqfs");
            System.Diagnostics.Process? squashfuse = null;
            try
            {
                var mk = TestMount.Run("mksquashfs", source.Root, image, "-quiet", "-noappend");
                Assert.True(mk.ExitCode == 0, mk.Stderr);
                squashfuse = System.Diagnostics.Process.Start("squashfuse", ["-f", image, mp])!;
                Assert.True(Mounts.WaitUntil(() => Mounts.IsMounted(mp), TimeSpan.FromSeconds(10)), "squashfuse did not mount");
                squashfuse.Kill();
                squashfuse.WaitForExit();
                var stat = TestMount.Run("stat", mp);
                Assert.Contains("Transport endpoint is not connected", stat.Stderr);

                AssertRefused(TimeTravelCli.Exec("--store", store, "mount", mp), mp, "a dead mount is left there", $"timetravel umount {mp}");
                Assert.Equal(1, Mounts.CountAt(mp));

                var umount = TimeTravelCli.Exec("umount", mp);
                Assert.True(umount.ExitCode == 0, umount.Stderr);
                Assert.False(Mounts.IsMounted(mp));
            }
            finally
            {
                if (squashfuse is { HasExited: false }) { squashfuse.Kill(); squashfuse.WaitForExit(); }
                if (Mounts.IsMounted(mp)) Mounts.ForceUnmount(mp);
                File.Delete(image);
            }
        });
    }
}
