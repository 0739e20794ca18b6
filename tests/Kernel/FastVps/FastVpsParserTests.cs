// The FastVPS log format: "<number> NEW|MOD|REM <path>", the path being raw bytes to the end of the line.
using TimeTravel.Store.Posix;
using TimeTravel.Kernel.FastVps;
using TimeTravel.Kernel.Tracking;
using Xunit;

namespace TimeTravel.Tests.Kernel.FastVps;

public sealed class FastVpsParserTests
{
    [Fact]
    public void TheSampleFromTheKernelPatchReadmeParses()
    {
        var log = "0 REM /var/lib/apt/lists/partial/mirror.hetzner.de_debian_packages_dists_squeeze_Release.gpg.reverify\n"u8
            + "0 NEW /root/4913\n0 MOD /var/log/backup\n"u8;
        var (lines, errors) = FastVpsParser.ParseAll("log1", [.. log]);
        Assert.Empty(errors);
        Assert.Equal([ChangeKind.Removed, ChangeKind.New, ChangeKind.Modified], lines.Select(l => l.Kind));
        Assert.Equal("/var/log/backup", PathBytes.Display(lines[2].Path));
    }

    [Fact]
    public void APathKeepsItsSpacesAndNonUtf8Bytes()
    {
        byte[] line = [.. "12 MOD /home/a b  c/caf"u8, 0xE9, .. " \t"u8];
        var parsed = FastVpsParser.ParseLine("f", 1, line);
        Assert.Equal(12, parsed.Number);
        Assert.Equal(line[7..], parsed.Path);
    }

    // The patch ends lines with \n alone; a \r means the log went through a CRLF conversion. Never journal "/a\r".
    [Fact]
    public void ACrlfLineIsMalformedAndNoPathEndsInACarriageReturn()
    {
        var (lines, errors) = FastVpsParser.ParseAll("day.log", "0 NEW /a\r\n0 MOD /b\n"u8.ToArray());
        Assert.Equal(["/b"], lines.Select(l => PathBytes.Display(l.Path)));
        Assert.Contains("carriage return", Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData("MOD /no/number")]
    [InlineData("0 CHG /bad/op")]
    [InlineData("0 NEW relative/path")]
    [InlineData("0 NEW")]
    [InlineData("x1 NEW /a")]
    public void AMalformedLineIsAnErrorNamingFileAndLine(string bad)
    {
        var content = System.Text.Encoding.UTF8.GetBytes($"0 NEW /ok\n{bad}\n0 REM /ok2\n");
        var (lines, errors) = FastVpsParser.ParseAll("/var/log/backup/2013-08-12.log", content);
        Assert.Equal(2, lines.Count);
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("/var/log/backup/2013-08-12.log:2:", error.Message);
    }

    // Regression: "0 MOD /src//a/./f" was journaled as written, matched no path a snapshot visits, and the change was missed.
    [Theory]
    [InlineData("0 MOD //src//a/./f", "/src/a/f")]
    [InlineData("0 MOD /src/./a/f/", "/src/a/f")]
    [InlineData("0 NEW /src/a/.", "/src/a")]
    [InlineData("0 REM /", "/")]
    public void RepeatedSlashesAndDotComponentsAreCanonicalised(string line, string expected)
    {
        var parsed = FastVpsParser.ParseLine("f", 1, System.Text.Encoding.UTF8.GetBytes(line));
        Assert.Equal(expected, PathBytes.Display(parsed.Path));
    }

    // ".." cannot be resolved from the text alone (the directory before it may have been a symlink): the line is an
    // error, which makes the journal incomplete, so the next snapshot walks.
    [Theory]
    [InlineData("0 MOD /src/a/../b")]
    [InlineData("0 MOD /src/..")]
    public void APathWithADotDotComponentIsAnError(string line)
    {
        var e = Assert.Throws<FastVpsParseException>(() => FastVpsParser.ParseLine("day.log", 3, System.Text.Encoding.UTF8.GetBytes(line)));
        Assert.Contains("'..'", e.Message);
    }
}
