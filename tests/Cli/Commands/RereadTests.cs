// What a walk re-reads, pinned end to end: a file whose only change is its inode (`cp -a f f.new && mv f.new f`, as
// another mount of the same data looks) or its mode is not read again; a file that keeps changing while it is read
// is recorded as unstable, with a note naming it.
using System.Text.Json;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

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

    [Fact]
    public void AFileWhoseOnlyChangeIsItsInodeIsNotReadAgain()
    {
        string f = Path.Combine(_src, "f.bin");
        var content = SourceFiles.Random(3 << 20, 51);
        File.WriteAllBytes(f, content);
        Assert.True(Snapshot().GetProperty("bytesRead").GetInt64() >= content.Length);
        ulong inode = TimeTravel.Store.Posix.PosixFs.LStat(TimeTravel.Store.Posix.PathBytes.From(f)).Inode;

        Shell.Run("cp", "-a", f, f + ".new");
        Shell.Run("mv", f + ".new", f);
        Assert.NotEqual(inode, TimeTravel.Store.Posix.PosixFs.LStat(TimeTravel.Store.Posix.PathBytes.From(f)).Inode);

        var second = Snapshot();
        Assert.Equal(0, second.GetProperty("bytesRead").GetInt64());
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
    public void AFileThatKeepsChangingWhileReadIsRecordedAsUnstable()
    {
        string f = Path.Combine(_src, "growing.log");
        File.WriteAllBytes(f, SourceFiles.Random(16 << 20, 53));
        using var stop = new CancellationTokenSource();
        var appender = Task.Run(() =>
        {
            using var log = new FileStream(f, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            while (!stop.IsCancellationRequested) { log.WriteByte((byte)'x'); log.Flush(); }
        });
        CliResult r;
        try { r = TimeTravelCli.Run(_store, "snapshot"); }
        finally { stop.Cancel(); appender.Wait(); }
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"{f}: kept changing while being read; recorded as unstable", r.Stderr);
        Assert.Contains("Unstable", Entry("growing.log").GetProperty("flags").GetString());
    }
}
