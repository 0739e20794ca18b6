// Path arguments are bytes: a name that is not UTF-8 reaches its own file, a name spelled with a backslash escape is
// taken as typed when such a file exists (the escaped reading only when it does not), relative paths are read
// against the current directory by every command, and the names `ls` prints are unambiguous and, fed back (through
// a shell or verbatim), find the same file.
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;
using static TimeTravel.Tests.Cli.Support.RawArgv;

namespace TimeTravel.Tests.Cli.Commands;

public class PathArgumentTests : IDisposable
{
    private readonly TempDir _dir = new("tt-patharg");
    private readonly string _src, _store;

    // Every name here has a twin that the old argument handling confused it with.
    private static readonly byte[][] Names =
    [
        "plain"u8.ToArray(), "nl\nx"u8.ToArray(), "tab\tx"u8.ToArray(), @"a\b"u8.ToArray(), @"a\\b"u8.ToArray(),
        [(byte)'f', 0xff], [(byte)'f', 0xfe], @"a\x41"u8.ToArray(), "aA"u8.ToArray(), "it's"u8.ToArray(),
    ];

    public PathArgumentTests()
    {
        _src = _dir["src"];
        _store = _dir["store"];
        Directory.CreateDirectory(_src + "/sub");
        foreach (var name in Names) SourceFiles.Write(PathBytes.Join(PathBytes.From(_src), name), Content(name));
        File.WriteAllText(_src + "/sub/inner", "inner\n");
        Assert.Equal(0, TimeTravelCli.Run(_store, "init", _src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(_store, "snapshot", "--time", "2026-11-01T10:00:00+01:00").ExitCode);
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Content(byte[] name) => PathBytes.From($"content of {Convert.ToHexString(name)}\n");
    private byte[] Src(byte[] name) => PathBytes.Join(PathBytes.From(_src), name);

    [Fact]
    public void RawBytesThatAreNotUtf8ReachTheirOwnFileInCatRestoreAndHistory()
    {
        foreach (var name in Names.Where(n => n[^1] >= 0xfe))
        {
            var cat = TimeTravelBytes(_store, null, B("cat"), B("latest"), Src(name));
            Assert.True(cat.ExitCode == 0, cat.ToString());
            Assert.Equal(Content(name), cat.StdoutBytes);

            var history = TimeTravelBytes(_store, null, B("history"), Src(name));
            Assert.True(history.ExitCode == 0, history.ToString());
            Assert.Contains(PathBytes.Quoted(Src(name))[2..], history.Stdout); // inside MOUNT/SNAPSHOT/...: one quoted path

            byte[] copy = PathBytes.Join(_dir.Bytes("copies"), name);
            Directory.CreateDirectory(_dir["copies"]);
            var restore = TimeTravelBytes(_store, null, B("restore"), B("latest"), Src(name), B("--to"), copy);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Equal(Content(name), ReadAll(copy));
        }
    }

    [Fact]
    public void ANameSpelledWithAnEscapeIsTakenAsTypedWhenThatFileExists()
    {
        foreach (var name in new[] { @"a\x41"u8.ToArray(), "aA"u8.ToArray(), @"a\\b"u8.ToArray(), @"a\b"u8.ToArray() })
        {
            var cat = TimeTravelCli.Run(_store, "cat", "latest", System.Text.Encoding.UTF8.GetString(Src(name)));
            Assert.True(cat.ExitCode == 0, cat.ToString());
            Assert.Equal(Content(name), cat.StdoutBytes);
        }
        // No file of that literal name: the escaped reading (\xNN, \\) still works.
        var escaped = TimeTravelCli.Run(_store, "cat", "latest", _src + @"/f\xff");
        Assert.True(escaped.ExitCode == 0, escaped.ToString());
        Assert.Equal(Content([(byte)'f', 0xff]), escaped.StdoutBytes);
    }

    [Fact]
    public void LsPrintsEachNameOnOneLineAndThePrintedFormFedBackFindsTheSameFile()
    {
        var ls = TimeTravelCli.Run(_store, "ls", "latest", _src);
        Assert.True(ls.ExitCode == 0, ls.ToString());
        var lines = ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Names.Length + 1, lines.Length); // and sub
        var printed = lines.Select(l => l.Split(' ')[^1]).ToList();
        Assert.Contains(@"$'nl\nx'", printed);
        Assert.Contains(@"$'a\\b'", printed);
        Assert.Contains(@"$'f\xff'", printed);
        Assert.Contains("aA", printed);
        Assert.Equal(printed.Count, printed.Distinct().Count());
        foreach (var name in Names)
        {
            string shown = PathBytes.Quoted(name);
            Assert.Contains(shown, printed);
            // Through a shell, as a user pastes it.
            var shell = Shell("cat latest " + Word(B(_src + "/")) + shown);
            Assert.True(shell.ExitCode == 0, $"{shown}: {shell}");
            Assert.Equal(Content(name), shell.StdoutBytes);
            // Verbatim, as a program passes it on.
            var verbatim = TimeTravelBytes(_store, null, B("cat"), B("latest"), B(_src + "/" + shown));
            Assert.True(verbatim.ExitCode == 0, $"{shown}: {verbatim}");
            Assert.Equal(Content(name), verbatim.StdoutBytes);
        }
    }

    [Fact]
    public void LsCatAndDiffReadARelativePathAgainstTheCurrentDirectory()
    {
        var ls = TimeTravelBytes(_store, _src, B("ls"), B("latest"), B("sub"));
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.EndsWith(" inner\n", ls.Stdout);
        var cat = TimeTravelBytes(_store, _src + "/sub", B("cat"), B("latest"), B("inner"));
        Assert.True(cat.ExitCode == 0, cat.ToString());
        Assert.Equal("inner\n", cat.Stdout);
        var catUp = TimeTravelBytes(_store, _src + "/sub", B("cat"), B("latest"), B("../plain"));
        Assert.Equal(Content("plain"u8.ToArray()), catUp.StdoutBytes);
        var diff = TimeTravelBytes(_store, _src, B("diff"), B("latest"), B("latest"), B("sub"));
        Assert.True(diff.ExitCode == 0, diff.ToString());
    }

    private CliResult Shell(string words) =>
        Run(["bash", "-c", $"exec {string.Join(' ', TimeTravelCli.Command.Select(c => Word(B(c))))} --store {Word(B(_store))} {words}"], []);

    private static byte[] ReadAll(byte[] path)
    {
        using var h = PosixFs.OpenRead(path);
        var buffer = new byte[RandomAccess.GetLength(h)];
        RandomAccess.Read(h, buffer, 0);
        return buffer;
    }
}
