// What a walk re-reads, pinned end to end: a file whose only change is its inode (another mount of the same data)
// or its mode is not read again; a file copied over itself with its mtime is (its new ctime has nothing visible to
// explain it); a file that keeps changing while it is read is recorded as unstable, with a note naming it.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsRoot]
[NeedsFuse]
public class RereadTests : IDisposable
{
    private readonly TempDir _dir = new("tt-reread");
    private readonly string _src, _store;

    public RereadTests()
    {
        _src = _dir["src"];
        _store = _dir["store"];
        Directory.CreateDirectory(_src);
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
    }

    public void Dispose() => _dir.Dispose();

    private JsonElement Snapshot()
    {
        var r = TimeTravelCli.Run(_store, "snapshot", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonDocument.Parse(r.Stdout).RootElement;
    }

    private JsonElement Entry(string name) =>
        JsonDocument.Parse(TimeTravelCli.Run(_store, "ls", "--json", "latest", Path.Combine(_src, name)).Stdout).RootElement[0];

    // Another mount of the same data: two ext4 images hold the same file (same size, mode, owner, mtime and ctime to
    // the nanosecond) under different inode numbers, mounted in turn at the source path.
    [Fact]
    public void AFileWhoseOnlyChangeIsItsInodeIsNotReadAgain()
    {
        var content = SourceFiles.Random(3 << 20, 51);
        File.WriteAllBytes(_dir["f.bin"], content);
        string mp = _dir["vol"], store = _dir["vol-store"];
        Directory.CreateDirectory(mp);
        string[] images = [Image("a.img", shiftInode: false), Image("b.img", shiftInode: true)];
        Assert.Equal(0, TimeTravelCli.Run(store, "init", mp).ExitCode);
        var inodes = new List<ulong>();
        var bytesRead = new List<long>();
        foreach (var image in images)
        {
            Shell.Run("mount", "-o", "loop,ro", image, mp);
            try
            {
                inodes.Add(TimeTravel.Store.Posix.PosixFs.LStat(TimeTravel.Store.Posix.PathBytes.From(Path.Combine(mp, "f.bin"))).Inode);
                var r = TimeTravelCli.Run(store, "snapshot", "--json");
                Assert.True(r.ExitCode == 0, r.ToString());
                bytesRead.Add(JsonDocument.Parse(r.Stdout).RootElement.GetProperty("bytesRead").GetInt64());
            }
            finally { Shell.Run("umount", mp); }
        }
        Assert.NotEqual(inodes[0], inodes[1]);
        Assert.True(bytesRead[0] >= content.Length);
        Assert.Equal(0, bytesRead[1]);
        Assert.Equal(content, TimeTravelCli.Run(store, "cat", "latest", Path.Combine(mp, "f.bin")).StdoutBytes);
    }

    // An ext4 image holding f.bin with fixed times; with shiftInode, a file written first and removed again moves
    // f.bin to the next inode number.
    private string Image(string name, bool shiftInode)
    {
        string image = _dir[name];
        using (var f = File.Create(image)) f.SetLength(32 << 20);
        Shell.Run("mkfs.ext4", "-q", "-F", image);
        void Debugfs(string request) => Shell.Run("debugfs", "-w", "-R", request, image);
        if (shiftInode) Debugfs("write /etc/hostname pad");
        Debugfs($"write {_dir["f.bin"]} f.bin");
        if (shiftInode) Debugfs("rm pad");
        foreach (var field in new[] { "atime", "mtime", "ctime" })
        {
            Debugfs($"set_inode_field f.bin {field} 20240102030405");
            Debugfs($"set_inode_field f.bin {field}_extra 0");
        }
        return image;
    }

    [Fact]
    public void AFileCopiedOverItselfWithItsMtimeIsReadAgainAndStoresNothingNew()
    {
        // `cp -a f f.new && mv f.new f` gives a new inode and a new ctime that no visible metadata change explains,
        // exactly as rewritten bytes with the mtime put back would: read again, to the same score.
        string f = Path.Combine(_src, "f.bin");
        var content = SourceFiles.Random(3 << 20, 51);
        File.WriteAllBytes(f, content);
        Snapshot();
        Shell.Run("cp", "-a", f, f + ".new");
        Shell.Run("mv", f + ".new", f);
        var second = Snapshot();
        Assert.True(second.GetProperty("bytesRead").GetInt64() >= content.Length);
        Assert.True(second.GetProperty("newBytes").GetInt64() < 64 << 10, "only directories and the change list are new");
        Assert.Equal(content, TimeTravelCli.Run(_store, "cat", "latest", f).StdoutBytes);
    }

    [Fact]
    public void AModeChangeUpdatesTheMetadataWithoutReadingTheContent()
    {
        string f = Path.Combine(_src, "script.sh");
        File.WriteAllBytes(f, SourceFiles.Random(1 << 20, 52));
        File.SetUnixFileMode(f, (UnixFileMode)0x1A4); // 0644
        Snapshot();
        File.SetUnixFileMode(f, (UnixFileMode)0x1ED); // 0755
        var second = Snapshot();
        Assert.Equal(0, second.GetProperty("bytesRead").GetInt64());
        Assert.Equal(0x1ED, Entry("script.sh").GetProperty("mode").GetInt32());
    }

    [Fact]
    public async Task AFileThatKeepsChangingWhileReadIsRecordedAsUnstable()
    {
        string f = Path.Combine(_src, "growing.log");
        var r = await SnapshotWhileAppendingTo(f);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"{f}: kept changing while being read; recorded as unstable", r.Stderr);
        Assert.Contains("Unstable", Entry("growing.log").GetProperty("flags").GetString());
    }

    // Regression: the file was recorded with its size after the read (larger than the content stored), and restore
    // put it back without a word.
    [Fact]
    public async Task AnUnstableFileIsRecordedWithTheSizeOfItsContentAndRestoreSaysItIsUnstable()
    {
        string f = Path.Combine(_src, "growing.log");
        var r = await SnapshotWhileAppendingTo(f);
        Assert.True(r.ExitCode == 0, r.ToString());
        var content = TimeTravelCli.Run(_store, "cat", "latest", f).StdoutBytes;
        Assert.Equal(content.Length, Entry("growing.log").GetProperty("size").GetInt64());

        string to = _dir["restored.log"];
        var restore = TimeTravelCli.Run(_store, "restore", "latest", f, "--to", to);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains($"{to}: kept changing while the snapshot read it", restore.Stderr);
        Assert.Equal(content.Length, new FileInfo(to).Length);
    }

    // Takes a snapshot while another thread appends to f, started only once the file is seen growing.
    private async Task<CliResult> SnapshotWhileAppendingTo(string f)
    {
        File.WriteAllBytes(f, SourceFiles.Random(16 << 20, 53));
        using var stop = new CancellationTokenSource();
        // A thread of its own (LongRunning), not the pool's: with other tests blocking pool threads the appender could
        // start late, after the snapshot had read the file in peace.
        var appender = Task.Factory.StartNew(() =>
        {
            using var log = new FileStream(f, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            while (!stop.IsCancellationRequested) { log.WriteByte((byte)'x'); log.Flush(); }
        }, TaskCreationOptions.LongRunning);
        try
        {
            long start = new FileInfo(f).Length;
            while (new FileInfo(f).Length == start)
            {
                if (appender.IsCompleted) await appender;   // its exception, if it failed before writing
                Assert.False(appender.IsCompleted, "the appender stopped before it wrote a byte");
                Thread.Sleep(1);
            }
            return TimeTravelCli.Run(_store, "snapshot");
        }
        finally { stop.Cancel(); await appender; }
    }
}
