// The snapshot filesystem's answers, called directly without a mount: how long the kernel may cache each kind of
// entry, st_nlink and times, the root's mtime following the catalog, and inode records that keep no path and (for
// files) no node.
using System.Text;
using TimeTravel.Fs.Fuse;
using TimeTravel.Fs.Snapshots;
using TimeTravel.Store;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Fs.Mounting.Support;
using Xunit;

namespace TimeTravel.Tests.Fs.Snapshots;

public sealed class SnapshotFileSystemTests : IDisposable
{
    private const string Name = "2024-09-03_0900";
    private static readonly Caller AsRoot = Caller.With(Credentials.Root);
    private readonly SourceTree _source = SourceTree.Empty();
    private readonly string _store = TempDir.Create("tt-store-");
    private readonly Repository _repo;
    private readonly SnapshotFileSystem _fs;
    private readonly List<string> _log = [];

    public SnapshotFileSystemTests()
    {
        File.WriteAllText(_source["file.txt"], "content\n");
        File.CreateSymbolicLink(_source["link"], "file.txt");
        Directory.CreateDirectory(_source["dir/sub"]);
        File.WriteAllText(_source["dir/a"], "a\n");
        SourceTree.Sh(_source.Root, "ln dir/a hard");
        _source.Snapshot(_store, new DateTimeOffset(2024, 9, 3, 9, 0, 0, TimeSpan.Zero));
        _repo = Repository.OpenReader(_store);
        _fs = new SnapshotFileSystem(_repo, _log.Add);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _source.Dispose();
        Mounts.RemoveTree(_store);
    }

    private FuseEntry Lookup(ulong parent, string name)
    {
        Assert.Equal(0, _fs.Lookup(parent, Encoding.UTF8.GetBytes(name), AsRoot, out var e));
        Assert.NotEqual(0UL, e.Attributes.Ino);
        return e;
    }

    // The source directory inside the snapshot: /SNAPSHOT/tmp/tt-src-.../
    private ulong SourceDirectory()
    {
        ulong ino = Lookup(InodeNumbers.Root, Name).Attributes.Ino;
        foreach (var c in _source.Root.Trim('/').Split('/')) ino = Lookup(ino, c).Attributes.Ino;
        return ino;
    }

    [Fact]
    public void A_snapshot_directory_is_cached_like_its_contents_and_only_its_name_at_the_root_expires_quickly()
    {
        var snapshot = Lookup(InodeNumbers.Root, Name);
        Assert.Equal(SnapshotFileSystem.RootTimeout, snapshot.EntryTimeout);        // it can be removed
        Assert.Equal(SnapshotFileSystem.SnapshotTimeout, snapshot.AttributeTimeout); // its attributes never change
        Assert.Equal(0, _fs.OpenDir(snapshot.Attributes.Ino, 0, out var open));
        Assert.True(open.CacheDirectory && open.KeepCache, "the listing of a snapshot directory never changes");
        Assert.Equal(0, _fs.GetAttr(snapshot.Attributes.Ino, out _, out double timeout));
        Assert.Equal(SnapshotFileSystem.SnapshotTimeout, timeout);
    }

    [Fact]
    public void The_root_and_its_links_keep_short_timeouts_and_uncached_listings()
    {
        foreach (var link in new[] { "latest", "2024-09-03" })
        {
            var e = Lookup(InodeNumbers.Root, link);
            Assert.Equal(SnapshotFileSystem.RootTimeout, e.EntryTimeout);
            Assert.Equal(SnapshotFileSystem.RootTimeout, e.AttributeTimeout);
            Assert.Equal(0, _fs.ReadLink(e.Attributes.Ino, out var target));
            Assert.Equal(Name, Encoding.UTF8.GetString(target));
        }
        Assert.Equal(0, _fs.OpenDir(InodeNumbers.Root, 0, out var open));
        Assert.False(open.CacheDirectory || open.KeepCache);
        Assert.Equal(0, _fs.GetAttr(InodeNumbers.Root, out _, out double timeout));
        Assert.Equal(SnapshotFileSystem.RootTimeout, timeout);
        Assert.Equal(0, _fs.Lookup(InodeNumbers.Root, "2099-01-01_0000"u8, AsRoot, out var missing));
        Assert.Equal(0UL, missing.Attributes.Ino);
        Assert.Equal(SnapshotFileSystem.RootTimeout, missing.EntryTimeout);
    }

    [Fact]
    public void Entries_inside_a_snapshot_are_cached_for_a_day()
    {
        var file = Lookup(SourceDirectory(), "file.txt");
        Assert.Equal(SnapshotFileSystem.SnapshotTimeout, file.EntryTimeout);
        Assert.Equal(SnapshotFileSystem.SnapshotTimeout, file.AttributeTimeout);
    }

    // Regression: the root's mtime was the catalog's when the mount started, and stayed so.
    [Fact]
    public void The_roots_mtime_is_the_catalogs_and_atime_shows_mtime()
    {
        Assert.Equal(0, _fs.GetAttr(InodeNumbers.Root, out var root, out _));
        var catalog = new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(_store, "catalog.db")));
        Assert.Equal(catalog.ToUnixTimeSeconds(), root.MTime.Seconds);
        var file = Lookup(SourceDirectory(), "file.txt").Attributes;
        Assert.Equal(file.MTime, file.ATime); // the store records no atime
    }

    [Fact]
    public void Directories_show_nlink_1_as_the_store_records_none_and_hard_links_their_recorded_count()
    {
        ulong src = SourceDirectory();
        Assert.Equal(1UL, Lookup(src, "dir").Attributes.NLink);
        Assert.Equal(0, _fs.GetAttr(src, out var dir, out _));
        Assert.Equal(1UL, dir.NLink);
        Assert.Equal(2UL, Lookup(src, "hard").Attributes.NLink);
        Assert.Equal(1UL, Lookup(src, "file.txt").Attributes.NLink);
    }

    // Regression: every inode kept its full path as a string and its decoded node; 200,000 files cost 150 MB.
    [Fact]
    public void A_file_inode_keeps_its_name_and_parent_only_and_builds_its_path_on_demand()
    {
        ulong src = SourceDirectory();
        var file = Lookup(src, "file.txt");
        var inode = _fs.Inodes.Get(file.Attributes.Ino)!;
        Assert.Null(inode.Node);
        Assert.Equal("file.txt", Encoding.UTF8.GetString(inode.Name));
        Assert.Equal($"/{Name}{_source.Root}/file.txt", inode.Path);
        Assert.NotNull(_fs.Inodes.Get(Lookup(src, "dir").Attributes.Ino)!.Node); // a directory keeps its node: lookups need its listing

        // Everything a file is asked for comes from its directory again.
        Assert.Equal(0, _fs.GetAttr(file.Attributes.Ino, out var attributes, out _));
        Assert.Equal(file.Attributes.Size, attributes.Size);
        Assert.Equal(0, _fs.Open(file.Attributes.Ino, 0, out var open));
        Assert.True(open.KeepCache);
        var buffer = new byte[64];
        Assert.Equal(0, _fs.Read(file.Attributes.Ino, open.Handle, 0, buffer, out int n));
        Assert.Equal("content\n", Encoding.UTF8.GetString(buffer, 0, n));
        _fs.Release(file.Attributes.Ino, open.Handle);
        var link = Lookup(src, "link");
        Assert.Equal(0, _fs.ReadLink(link.Attributes.Ino, out var target));
        Assert.Equal("file.txt", Encoding.UTF8.GetString(target));
        Assert.Empty(_log);
    }

    // Regression: `timetravel snapshot` and at once `yesterday -d`, which names the new snapshot, failed with "No such
    // file or directory": the root listing was re-read from the catalog at most once a second.
    [Fact]
    public void A_snapshot_taken_a_moment_ago_is_found_by_name_before_the_listing_is_due_again()
    {
        Lookup(InodeNumbers.Root, Name); // the listing is read now, and would not be again for a second
        _source.Snapshot(_store, new DateTimeOffset(2024, 9, 3, 17, 30, 0, TimeSpan.Zero));
        Assert.Equal(0, _fs.Lookup(InodeNumbers.Root, "2024-09-03_1730"u8, AsRoot, out var e));
        Assert.NotEqual(0UL, e.Attributes.Ino);
    }
}
