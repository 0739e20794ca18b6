// Two names that used to display alike: `lit\xff` spelled with a backslash, and `lit` followed by the byte 0xff.
// `ls` tells them apart, `cat` reaches each by its displayed name, `ls --json` gives the bytes themselves.
using System.Text.Json;
using TimeTravel.Store.Posix;
using TimeTravel.Tests.Cli.Support;
using TimeTravel.Tests.Store.Support;
using Xunit;

namespace TimeTravel.Tests.Cli.Commands;

public class NameDisplayTests : IDisposable
{
    private readonly TempDir _dir = new("tt-names");
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LiteralBackslashNameAndNonUtf8NameAreDistinctInLsCatAndJson()
    {
        string src = _dir["src"], store = _dir["store"];
        Directory.CreateDirectory(src);
        byte[] literal = PathBytes.Join(PathBytes.From(src), @"lit\xff"u8);
        byte[] raw = PathBytes.Join(PathBytes.From(src), [(byte)'l', (byte)'i', (byte)'t', 0xff]);
        SourceFiles.Write(literal, "the literal one\n"u8);
        SourceFiles.Write(raw, "the byte one\n"u8);
        Assert.Equal(0, TimeTravelCli.Run(store, "init", src).ExitCode);
        Assert.Equal(0, TimeTravelCli.Run(store, "snapshot").ExitCode);

        var ls = TimeTravelCli.Run(store, "ls", "latest", src);
        Assert.Equal(0, ls.ExitCode);
        var names = ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[^1]).ToList();
        Assert.Equal([@"lit\\xff", @"lit\xff"], names);

        Assert.Equal("the literal one\n", TimeTravelCli.Run(store, "cat", "latest", src + @"/lit\\xff").Stdout);
        Assert.Equal("the byte one\n", TimeTravelCli.Run(store, "cat", "latest", src + @"/lit\xff").Stdout);

        var json = JsonDocument.Parse(TimeTravelCli.Run(store, "ls", "--json", "latest", src).Stdout).RootElement;
        var bytes = json.EnumerateArray().Select(e => e.GetProperty("nameBase64").GetBytesFromBase64()).ToList();
        Assert.Equal([@"lit\xff"u8.ToArray(), [(byte)'l', (byte)'i', (byte)'t', 0xff]], bytes);
        Assert.Equal([@"lit\\xff", @"lit\xff"], json.EnumerateArray().Select(e => e.GetProperty("name").GetString()!));
    }
}
