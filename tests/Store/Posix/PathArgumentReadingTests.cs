// The pure half of how a path argument is read and a name printed: Quoted is one line, unambiguous and read back
// by PathArgument; the typed reading comes first; relative paths resolve by name; argv bytes survive the parser.
using TimeTravel.Store.Posix;
using Xunit;

namespace TimeTravel.Tests.Store.Posix;

public class PathArgumentReadingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("caf\u00e9 au lait", "caf\u00e9 au lait")]
    [InlineData("nl\nx", @"$'nl\nx'")]
    [InlineData("tab\tx", @"$'tab\tx'")]
    [InlineData(@"a\b", @"$'a\\b'")]
    [InlineData(@"a\\b", @"$'a\\\\b'")]
    [InlineData("it's", @"$'it\'s'")]
    [InlineData("bell\u0007", @"$'bell\x07'")]
    public void QuotedPrintsANameOnOneLineInTheShellsQuoting(string name, string shown) =>
        Assert.Equal(shown, PathBytes.Quoted(PathBytes.From(name)));

    [Fact]
    public void QuotedIsOneLineDistinctAndReadBack()
    {
        var rng = new Random(11);
        var seen = new Dictionary<string, byte[]>();
        for (int i = 0; i < 3_000; i++)
        {
            var name = new byte[rng.Next(1, 10)];
            rng.NextBytes(name);
            if (i % 2 == 0) name[rng.Next(name.Length)] = (byte)"\\'\n$x"[rng.Next(5)];
            string shown = PathBytes.Quoted(name);
            Assert.DoesNotContain('\n', shown);
            if (seen.TryGetValue(shown, out var other)) Assert.Equal(other, name);
            seen[shown] = name;
            var readings = PathArgument.Readings(PathBytes.From(shown));
            Assert.Equal(name, readings[^1]);
        }
    }

    [Fact]
    public void TheTypedReadingComesFirstAndTheEscapedOneOnlyWhenItNamesSomething()
    {
        byte[] typed = @"a\x41"u8.ToArray();
        Assert.Equal([typed, "aA"u8.ToArray()], PathArgument.Readings(typed));
        Assert.Equal(typed, PathArgument.Choose(PathArgument.Readings(typed), _ => true));
        Assert.Equal("aA"u8.ToArray(), PathArgument.Choose(PathArgument.Readings(typed), p => p[^1] == 'A'));
        Assert.Equal(typed, PathArgument.Choose(PathArgument.Readings(typed), _ => false));
        Assert.Single(PathArgument.Readings(@"a\b"u8.ToArray()));
        Assert.Equal([(byte)'f', 0xff], PathArgument.Readings(@"f\xff"u8.ToArray())[1]);
    }

    [Theory]
    [InlineData("sub/f", "/home/u", "/home/u/sub/f")]
    [InlineData("../x", "/home/u", "/home/x")]
    [InlineData("./a//b/", "/", "/a/b")]
    [InlineData("/../..", "/home", "/")]
    [InlineData("/etc/./fstab", "/x", "/etc/fstab")]
    public void ARelativePathIsResolvedByNameAgainstTheCurrentDirectory(string typed, string cwd, string full) =>
        Assert.Equal(full, System.Text.Encoding.UTF8.GetString(PathArgument.Absolute(PathBytes.From(typed), PathBytes.From(cwd))));

    [Fact]
    public void ArgumentBytesThatAreNotUtf8SurviveAsTheirOwnBytes()
    {
        // What CommandLineBytes.Arguments makes of f\xff: a lone surrogate per byte, which no UTF-8 decodes to.
        string escaped = "f\uDCFF";
        Assert.Equal([(byte)'f', 0xff], CommandLineBytes.Bytes(escaped));
        Assert.True(CommandLineBytes.HasRawBytes(escaped));
        Assert.Equal("caf\u00e9"u8.ToArray(), CommandLineBytes.Bytes("caf\u00e9"));
        Assert.False(CommandLineBytes.HasRawBytes("caf\u00e9 \U0001F600"));
        Assert.Equal("\U0001F600"u8.ToArray(), CommandLineBytes.Bytes("\U0001F600"));
    }
}
