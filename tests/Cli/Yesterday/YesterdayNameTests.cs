// yesterday with names that the old string handling confused: spelled with a backslash escape (`a\x41` beside `aA`,
// `a\\b` beside `a\b`), not UTF-8 (typed with tab completion), or holding a newline; and -c repeated, which must
// keep every unsaved version it replaces.
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;
using static TimeTravel.Tests.Cli.Support.RawArgv;

namespace TimeTravel.Tests.Cli.Yesterday;

public sealed class YesterdayNameTests : IDisposable
{
    private readonly TempDir _dir = new("tt-yname");
    private readonly string _store, _src;

    private static readonly byte[][] Names =
        [@"a\x41"u8.ToArray(), "aA"u8.ToArray(), @"a\\b"u8.ToArray(), @"a\b"u8.ToArray(), [(byte)'f', 0xff], [(byte)'f', 0xfe], "nl\nx"u8.ToArray(), "plain"u8.ToArray()];

    public YesterdayNameTests()
    {
        _store = _dir["store"];
        _src = _dir["src"];
        Directory.CreateDirectory(_src);
        foreach (var name in Names) SourceFiles.Write(Src(name), Old(name));
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        var snap = TimeTravelCli.Run(_store, "snapshot", "--time", DateTimeOffset.Now.AddDays(-1).ToString("O"));
        Assert.True(snap.ExitCode == 0, snap.ToString());
        foreach (var name in Names) SourceFiles.Write(Src(name), "changed since\n"u8);
    }

    public void Dispose() => _dir.Dispose();

    private byte[] Src(byte[] name) => PathBytes.Join(PathBytes.From(_src), name);
    private static byte[] Old(byte[] name) => PathBytes.From($"old {Convert.ToHexString(name)}\n");
    private YesterdayRunner Runner => new(_store, _src);

    private static byte[] Read(byte[] path)
    {
        using var h = PosixFs.OpenRead(path);
        var buffer = new byte[RandomAccess.GetLength(h)];
        RandomAccess.Read(h, buffer, 0);
        return buffer;
    }

    private void OnlyRestored(byte[] name)
    {
        foreach (var n in Names)
            Assert.True(Read(Src(n)).AsSpan().SequenceEqual(n.AsSpan().SequenceEqual(name) ? Old(n) : "changed since\n"u8),
                $"{PathBytes.Display(n)} after restoring {PathBytes.Display(name)}: {System.Text.Encoding.UTF8.GetString(Read(Src(n)))}");
        Assert.Equal(Names.Length + 1, PosixFs.ReadDirectory(PathBytes.From(_src)).Count); // the one backup, no stray file
    }

    [Theory]
    [InlineData(@"a\x41")]
    [InlineData(@"a\\b")]
    [InlineData(@"a\b")]
    [InlineData("aA")]
    public void DashCOnANameSpelledWithAnEscapeRestoresThatVeryFile(string name)
    {
        // Regression: the snapshot was searched for the decoded name (aA) and its old content written over a\x41.
        var r = Runner.Run("-c", "--no-backup", name);
        Assert.True(r.ExitCode == 0, r.ToString());
        File.WriteAllText(_src + "/.keep", ""); // OnlyRestored counts one backup; --no-backup left none
        OnlyRestored(PathBytes.From(name));
    }

    [Fact]
    public void DashCOnANameThatIsNotUtf8RestoresThatFile()
    {
        byte[] name = [(byte)'f', 0xff];
        var r = Runner.RunBytes(B("-c"), name);
        Assert.True(r.ExitCode == 0, r.ToString());
        OnlyRestored(name);
        Assert.Equal("changed since\n"u8.ToArray(), Read(Concat(Src(name), ".yesterday~"u8.ToArray())));
    }

    [Fact]
    public void PrintAndHistoryShowANameWithANewlineOnOneLineInTheFormThatFindsItAgain()
    {
        var print = Runner.Run("nl\nx");
        Assert.True(print.ExitCode == 0, print.ToString());
        Assert.Single(print.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Matches(@"^\$'\d{4}-\d{2}-\d{2}_\d{4}:/", print.Stdout); // nothing mounted: SNAPSHOT:PATH
        Assert.EndsWith(@"/nl\nx'" + "\n", print.Stdout);

        var history = Runner.Run("-a", "nl\nx");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Single(history.Stdout.TrimEnd('\n').Split('\n')); // one version: created
        Assert.EndsWith(@"/nl\nx'" + "\n", history.Stdout);
    }

    [Fact]
    public void RepeatedDashCKeepsEveryUnsavedVersionAsANumberedBackup()
    {
        byte[] plain = Src("plain"u8.ToArray());
        SourceFiles.Write(plain, "unsaved one\n"u8);
        Assert.Equal(0, Runner.Run("-c", "plain").ExitCode);
        SourceFiles.Write(plain, "unsaved two\n"u8);
        Assert.Equal(0, Runner.Run("-c", "plain").ExitCode);
        SourceFiles.Write(plain, "unsaved three\n"u8);
        var third = Runner.Run("-c", "plain");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal("old 706C61696E\n", File.ReadAllText(_src + "/plain"));
        Assert.Equal("unsaved one\n", File.ReadAllText(_src + "/plain.yesterday~"));
        Assert.Equal("unsaved two\n", File.ReadAllText(_src + "/plain.yesterday~1~"));
        Assert.Equal("unsaved three\n", File.ReadAllText(_src + "/plain.yesterday~2~"));
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
