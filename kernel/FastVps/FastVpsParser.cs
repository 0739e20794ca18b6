// Parses the FastVPS kernel patch's change log: lines "<number> NEW|MOD|REM <path>", the path running to the end of
// the line and holding any bytes but a newline (so spaces and non-UTF-8 names survive). Same format for the per-CPU
// debugfs files (log0..logN) and the daily /var/log/backup/YYYY-MM-DD.log files the flush script writes.
// The patch ends lines with \n alone, so a line ending in \r (a log that went through a CRLF conversion) is malformed:
// stripping the \r could turn a real name ending in \r into another file, and keeping it would journal a path that
// does not exist. Either way the next snapshot walks, which finds the truth.
// A path is journaled in the one form a snapshot visits: repeated slashes, "." components and a trailing slash are
// dropped. A ".." component is an error: whether "/a/b/.." is "/a" depends on whether b was a symlink when the kernel
// logged it, which nobody can know now, so the line makes the journal incomplete and the next snapshot walks.
using TimeTravel.Store.Posix;
using System.Buffers.Text;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.FastVps;

public static class FastVpsParser
{
    /// <summary>Parses every line; malformed lines are returned as errors, well-formed ones as lines.</summary>
    public static (List<FastVpsLine> Lines, List<FastVpsParseException> Errors) ParseAll(string file, ReadOnlySpan<byte> content)
    {
        var lines = new List<FastVpsLine>();
        var errors = new List<FastVpsParseException>();
        int lineNumber = 0;
        while (!content.IsEmpty)
        {
            lineNumber++;
            int newline = content.IndexOf((byte)'\n');
            var line = newline < 0 ? content : content[..newline];
            content = newline < 0 ? [] : content[(newline + 1)..];
            if (line.IsEmpty) continue;   // a blank line carries no change
            try { lines.Add(ParseLine(file, lineNumber, line)); }
            catch (FastVpsParseException e) { errors.Add(e); }
        }
        return (lines, errors);
    }

    /// <summary>Parses one line (without its newline), or throws naming <paramref name="file"/>:<paramref name="lineNumber"/>.</summary>
    public static FastVpsLine ParseLine(string file, int lineNumber, ReadOnlySpan<byte> line)
    {
        int space = line.IndexOf((byte)' ');
        if (space <= 0 || !Utf8Parser.TryParse(line[..space], out long number, out int used) || used != space || number < 0)
            throw new FastVpsParseException(file, lineNumber, "expected a number, a space, NEW|MOD|REM, a space and a path");

        var rest = line[(space + 1)..];
        if (rest.Length < 4 || rest[3] != (byte)' ')
            throw new FastVpsParseException(file, lineNumber, "expected NEW, MOD or REM followed by a space");
        ChangeKind kind = rest[..3] switch
        {
            var k when k.SequenceEqual("NEW"u8) => ChangeKind.New,
            var k when k.SequenceEqual("MOD"u8) => ChangeKind.Modified,
            var k when k.SequenceEqual("REM"u8) => ChangeKind.Removed,
            _ => throw new FastVpsParseException(file, lineNumber, $"unknown operation '{PathBytes.Display(rest[..3])}'"),
        };

        var path = rest[4..];
        if (!path.IsEmpty && path[^1] == (byte)'\r')
            throw new FastVpsParseException(file, lineNumber, "the line ends with a carriage return (CRLF line endings?)");
        if (path.IsEmpty || path[0] != (byte)'/')
            throw new FastVpsParseException(file, lineNumber, "the path must be absolute");
        if (path.IndexOf((byte)0) >= 0)
            throw new FastVpsParseException(file, lineNumber, "the path contains a NUL byte");
        return new FastVpsLine(number, kind, Canonical(file, lineNumber, path));
    }

    /// <summary>The path without empty and "." components; throws for a ".." component (see the top of the file).</summary>
    private static byte[] Canonical(string file, int lineNumber, ReadOnlySpan<byte> path)
    {
        var result = new List<byte>(path.Length);
        foreach (var range in path.Split((byte)'/'))
        {
            var part = path[range];
            if (part.IsEmpty || part.SequenceEqual("."u8)) continue;
            if (part.SequenceEqual(".."u8))
                throw new FastVpsParseException(file, lineNumber,
                    $"the path {PathBytes.Display(path)} has a '..' component, which cannot be resolved from the log alone");
            result.Add((byte)'/');
            result.AddRange(part);
        }
        return result.Count == 0 ? "/"u8.ToArray() : [.. result];
    }
}
