// Displayed names are unambiguous and parse back to the same bytes: \xNN for bytes that are not UTF-8, \\ for a
// backslash (before, a literal `\xff` and the byte 0xff both showed as `\xff`).
using TimeTravel.Store.Posix;
using Xunit;

namespace TimeTravel.Tests.Store.Posix;

public class PathBytesTests
{
    public static TheoryData<byte[], string> Names => new()
    {
        { "plain.txt"u8.ToArray(), "plain.txt" },
        { "caf\u00e9"u8.ToArray(), "caf\u00e9" },
        { [(byte)'l', (byte)'i', (byte)'t', 0xff], @"lit\xff" },
        { @"lit\xff"u8.ToArray(), @"lit\\xff" },
        { @"a\b"u8.ToArray(), @"a\\b" },
        { [(byte)'\\', 0xfe, (byte)'\\'], @"\\\xfe\\" },
        { [0xc3], @"\xc3" },             // a UTF-8 lead byte with nothing after it
        { "\u00e9\\"u8.ToArray(), "\u00e9\\\\" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void DisplayEscapesAndFromDisplayRoundTrips(byte[] name, string shown)
    {
        Assert.Equal(shown, PathBytes.Display(name));
        Assert.Equal(name, PathBytes.FromDisplay(shown));
    }

    [Fact]
    public void ALiteralEscapeAndTheByteItStandsForDisplayDifferently()
    {
        byte[] literal = @"lit\xff"u8.ToArray(), raw = [(byte)'l', (byte)'i', (byte)'t', 0xff];
        Assert.NotEqual(PathBytes.Display(literal), PathBytes.Display(raw));
    }

    [Fact]
    public void EveryByteStringRoundTrips()
    {
        var rng = new Random(7);
        for (int i = 0; i < 2_000; i++)
        {
            var name = new byte[rng.Next(1, 12)];
            rng.NextBytes(name);
            if (i % 3 == 0) name[rng.Next(name.Length)] = (byte)'\\';
            Assert.Equal(name, PathBytes.FromDisplay(PathBytes.Display(name)));
        }
    }

    [Fact]
    public void ABackslashBeforeAnythingElseIsTakenLiterally()
    {
        Assert.Equal(@"a\b"u8.ToArray(), PathBytes.FromDisplay(@"a\b"));
        Assert.Equal(@"end\"u8.ToArray(), PathBytes.FromDisplay(@"end\"));
        Assert.Equal(@"\xg1"u8.ToArray(), PathBytes.FromDisplay(@"\xg1"));
    }
}
