// End-to-end tests of FuseMount: a real mount of MemoryFileSystem checked with syscalls and coreutils.
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Interop;
using Xunit;

namespace TimeTravel.Tests.Fs;

public sealed class ReadOnlyMountFixture : IDisposable
{
    internal TestMount Mount { get; } = new(new MemoryFileSystem());
    public void Dispose() => Mount.Dispose();
}

[NeedsFuse]
public sealed class FuseMountTests(ReadOnlyMountFixture fixture) : IClassFixture<ReadOnlyMountFixture>
{
    private readonly TestMount _m = fixture.Mount;

    private static void AssertReadOnlyFailure(TestMount.Result r, string what)
    {
        Assert.True(r.ExitCode != 0, what + " succeeded on a read-only mount");
        Assert.Contains("Read-only file system", r.Stderr);
    }

    [Fact]
    public void Reads_small_and_8MiB_files_byte_for_byte()
    {
        Assert.Equal(MemoryFileSystem.Hello, File.ReadAllBytes(_m["hello.txt"]));
        Assert.Equal(MemoryFileSystem.Big, File.ReadAllBytes(_m["big.bin"]));
        Assert.Equal("inner\n", File.ReadAllText(_m["dir/inner.txt"]));
    }

    [Fact]
    public void Reads_at_arbitrary_offsets_and_past_the_end()
    {
        using var f = new FileStream(_m["big.bin"], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        var buffer = new byte[70_000];
        foreach (long offset in new long[] { 0, 1, 4095, 131_071, 5_000_001, (8 << 20) - 10 })
        {
            int n = RandomAccess.Read(f.SafeFileHandle, buffer, offset);
            int expected = (int)Math.Min(buffer.Length, (8 << 20) - offset);
            Assert.Equal(expected, n);
            Assert.True(buffer.AsSpan(0, n).SequenceEqual(MemoryFileSystem.Big.AsSpan((int)offset, n)), $"offset {offset}");
        }
        Assert.Equal(0, RandomAccess.Read(f.SafeFileHandle, buffer, 9 << 20));
    }

    [Fact]
    public void Lists_directories_with_names_as_raw_bytes()
    {
        var r = TestMount.Run("find", _m.Path, "-mindepth", "1", "-printf", "%P\\0");
        Assert.Equal(0, r.ExitCode);
        var names = Split(r.Stdout).Select(Convert.ToHexString).Order().ToArray();
        var expected = new[] { "dir", "dir/inner.txt", "hello.txt", "big.bin", "link", "boom" }
            .Select(s => Encoding.ASCII.GetBytes(s)).Append(MemoryFileSystem.NonUtf8Name)
            .Select(Convert.ToHexString).Order().ToArray();
        Assert.Equal(expected, names);
    }

    private static IEnumerable<byte[]> Split(byte[] zeroTerminated)
    {
        int start = 0;
        for (int i = 0; i < zeroTerminated.Length; i++)
            if (zeroTerminated[i] == 0) { yield return zeroTerminated[start..i]; start = i + 1; }
    }

    [Fact]
    public void Opens_a_file_whose_name_is_not_utf8()
    {
        var r = TestMount.Run("sh", "-c", "cat \"$1/$(printf '\\377\\376')\"", "sh", _m.Path);
        Assert.Equal("", r.Stderr);
        Assert.Equal("not utf-8\n", r.Text);
    }

    [Fact]
    public void Stat_reports_the_filesystem_attributes()
    {
        var r = TestMount.Run("stat", "-c", "%s %a %h %u %g %F %Y %y", _m["hello.txt"]);
        Assert.Equal("", r.Stderr);
        Assert.Equal($"{MemoryFileSystem.Hello.Length} 644 1 1234 5678 regular file 1700000000 2023-11-14 22:13:20.123456789 +0000\n", r.Text);
        Assert.Equal("0 755 2 directory\n", TestMount.Run("stat", "-c", "%s %a %h %F", _m["dir"]).Text);
        Assert.Equal("symbolic link\n", TestMount.Run("stat", "-c", "%F", _m["link"]).Text);
        Assert.Equal("4096 1000\n", TestMount.Run("stat", "-f", "-c", "%S %b", _m.Path).Text);
    }

    [Fact]
    public void Readlink_returns_the_target_and_the_link_resolves()
    {
        Assert.Equal("hello.txt\n", TestMount.Run("readlink", _m["link"]).Text);
        Assert.Equal(MemoryFileSystem.Hello, File.ReadAllBytes(_m["link"]));
    }

    [Fact]
    public void Getfattr_reads_and_lists_xattrs()
    {
        var r = TestMount.Run("getfattr", "--absolute-names", "-n", "user.greeting", "--only-values", _m["hello.txt"]);
        Assert.Equal("", r.Stderr);
        Assert.Equal("hi there", r.Text);
        Assert.Contains("user.greeting=\"hi there\"", TestMount.Run("getfattr", "--absolute-names", "-d", _m["hello.txt"]).Text);
        Assert.Contains("No such attribute", TestMount.Run("getfattr", "--absolute-names", "-n", "user.absent", _m["hello.txt"]).Stderr);
    }

    [Fact]
    public void Concurrent_readers_get_their_own_bytes()
    {
        using var f = File.OpenHandle(_m["big.bin"], options: FileOptions.RandomAccess);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var buffer = new byte[200_000];
            long offset = (long)(i * 130_003) % ((8 << 20) - buffer.Length);
            Assert.Equal(buffer.Length, RandomAccess.Read(f, buffer, offset));
            Assert.True(buffer.AsSpan().SequenceEqual(MemoryFileSystem.Big.AsSpan((int)offset, buffer.Length)), $"offset {offset}");
        });
    }

    [Fact]
    public void Missing_names_are_ENOENT()
    {
        Assert.False(File.Exists(_m["nope"]));
        Assert.Contains("No such file or directory", TestMount.Run("stat", _m["nope"]).Stderr);
    }

    [Fact]
    public void Writes_fail_with_EROFS()
    {
        AssertReadOnlyFailure(TestMount.Run("touch", _m["new"]), "touch new");
        AssertReadOnlyFailure(TestMount.Run("touch", _m["hello.txt"]), "touch existing");
        AssertReadOnlyFailure(TestMount.Run("mkdir", _m["newdir"]), "mkdir");
        AssertReadOnlyFailure(TestMount.Run("rm", "-f", _m["hello.txt"]), "rm");
        AssertReadOnlyFailure(TestMount.Run("sh", "-c", "echo x >> \"$1\"", "sh", _m["hello.txt"]), "append");
        Assert.Equal(MemoryFileSystem.Hello, File.ReadAllBytes(_m["hello.txt"]));
    }
}

[NeedsFuse]
public sealed class FuseMountLifecycleTests
{
    [Fact]
    public void An_exception_in_a_callback_becomes_EIO_and_the_daemon_keeps_serving()
    {
        using var m = new TestMount(new MemoryFileSystem());
        Assert.Contains("Input/output error", TestMount.Run("cat", m["boom"]).Stderr);
        Assert.Contains("Input/output error", TestMount.Run("stat", m["lookup-boom"]).Stderr);
        Assert.Throws<IOException>(() => File.ReadAllBytes(m["boom"]));
        Assert.Equal(MemoryFileSystem.Hello, File.ReadAllBytes(m["hello.txt"]));
        lock (m.CallbackErrors)
        {
            Assert.Contains(m.CallbackErrors, e => e.Op == "read" && e.Error is InvalidOperationException);
            Assert.Contains(m.CallbackErrors, e => e.Op == "lookup" && e.Error is InvalidOperationException);
        }
    }

    [Fact]
    public void Without_ro_the_host_itself_answers_EROFS_to_every_write()
    {
        using var m = new TestMount(new MemoryFileSystem(), readOnly: false);
        foreach (var (what, r) in new[]
        {
            ("create", TestMount.Run("touch", m["new"])),
            ("setattr", TestMount.Run("touch", m["hello.txt"])),
            ("mkdir", TestMount.Run("mkdir", m["newdir"])),
            ("unlink", TestMount.Run("rm", "-f", m["hello.txt"])),
            ("rmdir", TestMount.Run("rmdir", m["dir"])),
            ("symlink", TestMount.Run("ln", "-s", "x", m["newlink"])),
            ("link", TestMount.Run("ln", m["hello.txt"], m["hardlink"])),
            ("rename", TestMount.Run("mv", m["hello.txt"], m["moved"])),
            ("open for write", TestMount.Run("sh", "-c", "echo x >> \"$1\"", "sh", m["hello.txt"])),
            ("setxattr", TestMount.Run("setfattr", "-n", "user.x", "-v", "1", m["hello.txt"])),
            ("removexattr", TestMount.Run("setfattr", "-x", "user.greeting", m["hello.txt"])),
        })
        {
            Assert.True(r.ExitCode != 0, what + " succeeded");
            Assert.True(r.Stderr.Contains("Read-only file system"), $"{what}: {r.Stderr}");
        }
        Assert.Equal(MemoryFileSystem.Hello, File.ReadAllBytes(m["hello.txt"]));
    }

    [Fact]
    public void InvalidateEntry_makes_a_name_added_later_visible_despite_a_cached_negative_lookup()
    {
        var fs = new MemoryFileSystem { NegativeTimeout = 3600 };
        using var m = new TestMount(fs);
        Assert.False(File.Exists(m["later"]));
        fs.Add(fs.Root, "later", ModeBits.S_IFREG | 0x1A4).Data = "new"u8.ToArray();
        Assert.False(File.Exists(m["later"])); // the kernel still trusts its negative entry
        Assert.Equal(0, m.Mount.InvalidateEntry(1, "later"u8));
        Assert.Equal("new", File.ReadAllText(m["later"]));
    }

    [Fact]
    public void InvalidateInode_drops_a_cached_directory_listing()
    {
        var fs = new MemoryFileSystem { CacheDirectories = true };
        using var m = new TestMount(fs);
        Assert.DoesNotContain("snap2", List(m.Path));
        fs.Add(fs.Root, "snap2", ModeBits.S_IFDIR | 0x1ED);
        Assert.DoesNotContain("snap2", List(m.Path)); // served from the kernel's readdir cache
        Assert.Equal(0, m.Mount.InvalidateInode(1));
        Assert.Contains("snap2", List(m.Path));
    }

    private static string[] List(string path) => TestMount.Run("ls", "-a", path).Text.Split('\n');

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_directory_listing_spanning_many_readdir_requests_has_every_entry_once(bool plus)
    {
        var fs = new MemoryFileSystem(manyEntries: 3000) { ReaddirPlus = plus };
        using var m = new TestMount(fs);
        var names = TestMount.Run("ls", "-f", m["many"]).Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = Enumerable.Range(0, 3000).Select(MemoryFileSystem.ManyName).Append(".").Append("..").Order();
        Assert.Equal(expected, names.Order());
        Assert.Equal("", TestMount.Run("stat", "-c", "", m["many/" + MemoryFileSystem.ManyName(2999)]).Stderr);
        Assert.True(plus ? fs.PlusReads > 1 && fs.PlainReads == 0 : fs.PlainReads > 1 && fs.PlusReads == 0,
            $"plus {fs.PlusReads}, plain {fs.PlainReads}");
    }

    [Fact]
    public void An_external_unmount_ends_the_loop_and_Dispose_leaves_nothing_mounted()
    {
        var m = new TestMount(new MemoryFileSystem());
        string path = m.Path;
        try
        {
            Assert.True(TestMount.IsMounted(path));
            Assert.Equal(0, TestMount.Run("fusermount3", "-u", path).ExitCode);
            Assert.True(m.Mount.Wait(TimeSpan.FromSeconds(10)), "loop still running after fusermount3 -u");
            Assert.Equal(0, m.Mount.Wait());
        }
        finally
        {
            m.Dispose();
        }
        Assert.False(TestMount.IsMounted(path));
    }

    [Fact]
    public void Unmount_from_another_thread_ends_Wait()
    {
        var m = new TestMount(new MemoryFileSystem());
        try
        {
            Assert.True(m.Mount.IsRunning);
            new Thread(() => m.Mount.Unmount()).Start();
            Assert.True(m.Mount.Wait(TimeSpan.FromSeconds(10)), "loop still running after Unmount");
            Assert.False(TestMount.IsMounted(m.Path));
        }
        finally
        {
            m.Dispose();
        }
    }

    [Fact]
    public void Bad_options_throw_instead_of_mounting()
    {
        string dir = Directory.CreateTempSubdirectory("tt-fuse-").FullName;
        try
        {
            var options = new FuseMountOptions { ExtraOptions = ["no_such_option"] };
            Assert.Throws<ArgumentException>(() => FuseMount.Mount(new MemoryFileSystem(), dir, options));
            Assert.False(TestMount.IsMounted(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
