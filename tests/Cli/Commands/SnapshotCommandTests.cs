// `timetravel snapshot`, `list`, `ls`, `cat`, `stats` end to end, including a partial snapshot (exit 3).
using System.Text.Json;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

[NeedsRoot]
public class SnapshotCommandTests : IDisposable
{
    private readonly TempDir _dir = new("tt-clisnap");
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UnreadableFileIsReportedAndMakesAPartialSnapshotWithExitStatus3()
    {
        // Root reads everything, so the snapshot runs as nobody against a store nobody owns.
        string src = _dir["src"], storeParent = _dir["nobody"], store = Path.Combine(storeParent, "store");
        Directory.CreateDirectory(src);
        File.SetUnixFileMode(src, (UnixFileMode)0x1ED);
        File.WriteAllText(Path.Combine(src, "public.txt"), "anyone may read this\n");
        File.SetUnixFileMode(Path.Combine(src, "public.txt"), (UnixFileMode)0x1A4);
        File.WriteAllText(Path.Combine(src, "secret.txt"), "root only\n");
        File.SetUnixFileMode(Path.Combine(src, "secret.txt"), (UnixFileMode)0x180);
        Directory.CreateDirectory(storeParent);
        PosixFs.LChown(PathBytes.From(storeParent), 65534, 65534);

        var init = TimeTravelCli.RunAs("65534", store, "init", src);
        Assert.True(init.ExitCode == 0, init.ToString());
        var snap = TimeTravelCli.RunAs("65534", store, "snapshot");
        Assert.True(snap.ExitCode == 3, snap.ToString());
        Assert.Contains(Path.Combine(src, "secret.txt"), snap.Stderr);
        Assert.Contains("Permission denied", snap.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("partial", snap.Stdout);

        var list = TimeTravelCli.RunAs("65534", store, "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("partial", list.Stdout);
        var json = JsonDocument.Parse(TimeTravelCli.RunAs("65534", store, "list", "--json").Stdout).RootElement;
        Assert.False(json[0].GetProperty("complete").GetBoolean());
        Assert.Equal(1, json[0].GetProperty("errors").GetInt64());

        var cat = TimeTravelCli.RunAs("65534", store, "cat", "latest", Path.Combine(src, "public.txt"));
        Assert.Equal("anyone may read this\n", cat.Stdout);
        var ls = JsonDocument.Parse(TimeTravelCli.RunAs("65534", store, "ls", "--json", "latest", src).Stdout).RootElement;
        var secret = ls.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "secret.txt");
        Assert.Contains("Unreadable", secret.GetProperty("flags").GetString());
        Assert.Equal(10, secret.GetProperty("size").GetInt64());
    }

    [Fact]
    public void SnapshotListLsAndCatAgreeWithTheSource()
    {
        var tree = EveryKindTree.Create(_dir["src"]);
        string store = _dir["store"];
        Assert.Equal(0, TimeTravelCli.Run(store, "init", tree.Root).ExitCode);
        var snap = TimeTravelCli.Run(store, "snapshot", "--json");
        Assert.True(snap.ExitCode == 0, snap.ToString());
        Assert.Contains("socket skipped", snap.Stderr);
        var s = JsonDocument.Parse(snap.Stdout).RootElement;
        Assert.True(s.GetProperty("complete").GetBoolean());

        // A non-UTF-8 name is shown with \xNN escapes and can be given back that way.
        var ls = TimeTravelCli.Run(store, "ls", "latest", tree.Root);
        Assert.Contains(@"odd\xff\xfe", ls.Stdout);
        var cat = TimeTravelCli.Run(store, "cat", "latest", tree.Root + @"/odd\xff\xfe");
        Assert.True(cat.ExitCode == 0, cat.ToString());
        Assert.Equal(SourceFiles.Random(3000, 5), cat.StdoutBytes);
        var big = TimeTravelCli.Run(store, "cat", "latest", tree.Root + "/big");
        Assert.Equal(SourceFiles.Random(EveryKindTree.BigSize, 7), big.StdoutBytes);
        var sparse = TimeTravelCli.Run(store, "cat", "latest", tree.Root + "/sparse");
        Assert.Equal(EveryKindTree.SparseSize, sparse.StdoutBytes.Length);
        Assert.Equal((int)EveryKindTree.SparseDataOffset, sparse.StdoutBytes.AsSpan().IndexOfAnyExcept((byte)0));
        Assert.Equal((int)EveryKindTree.SparseDataOffset, sparse.StdoutBytes.AsSpan().LastIndexOfAnyExcept((byte)0));
        Assert.Equal((byte)'X', sparse.StdoutBytes[EveryKindTree.SparseDataOffset]);

        var fifo = TimeTravelCli.Run(store, "cat", "latest", tree.Root + "/fifo");
        Assert.Equal(1, fifo.ExitCode);
        Assert.Contains("fifo, not a file", fifo.Stderr);
        var missing = TimeTravelCli.Run(store, "cat", "latest", tree.Root + "/nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/nope: not in snapshot", missing.Stderr);

        var stats = JsonDocument.Parse(TimeTravelCli.Run(store, "stats", "--json").Stdout).RootElement;
        Assert.Equal(1, stats.GetProperty("snapshots").GetInt32());
        Assert.True(stats.GetProperty("storedBytes").GetInt64() < 2 * EveryKindTree.BigSize);
        Assert.True(stats.GetProperty("logicalBytes").GetInt64() > EveryKindTree.SparseSize);
    }
}
