// Paths as byte strings: Linux names are bytes, not text, and must round-trip unchanged.
using System.Text;

namespace TimeTravel.Store.Posix;

public static class PathBytes
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static byte[] From(string path) => Encoding.UTF8.GetBytes(path);

    public static byte[] Join(ReadOnlySpan<byte> dir, ReadOnlySpan<byte> name)
    {
        if (dir.Length == 1 && dir[0] == (byte)'/')
        {
            var r = new byte[1 + name.Length];
            r[0] = (byte)'/';
            name.CopyTo(r.AsSpan(1));
            return r;
        }
        var result = new byte[dir.Length + 1 + name.Length];
        dir.CopyTo(result);
        result[dir.Length] = (byte)'/';
        name.CopyTo(result.AsSpan(dir.Length + 1));
        return result;
    }

    /// <summary>
    /// A path for messages and listings: valid UTF-8 as is, other bytes as \xNN, and a backslash as \\, so two
    /// different names never display alike (a name holding the four characters `\xff` shows as `\\xff`).
    /// FromDisplay turns the text back into the same bytes.
    /// </summary>
    public static string Display(ReadOnlySpan<byte> path)
    {
        if (!path.Contains((byte)'\\'))
        {
            try { return StrictUtf8.GetString(path); }
            catch (DecoderFallbackException) { }
        }
        var sb = new StringBuilder();
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] == (byte)'\\') { sb.Append(@"\\"); i++; continue; }
            int len = Utf8SequenceLength(path[i..]);
            if (len > 0) { sb.Append(Encoding.UTF8.GetString(path.Slice(i, len))); i += len; }
            else { sb.Append($"\\x{path[i]:x2}"); i++; }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Parses what Display makes (\xNN is a byte, \\ a backslash), so a displayed name can be given back on a command
    /// line. A backslash before anything else is taken literally, as a person typing a path would mean it.
    /// </summary>
    public static byte[] FromDisplay(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
                continue;
            }
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x'
                && Uri.IsHexDigit(text[i + 2]) && Uri.IsHexDigit(text[i + 3]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
                continue;
            }
            int end = i + (char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1);
            bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
            i = end - 1;
        }
        return bytes.ToArray();
    }

    /// <summary>
    /// A name or path as the commands print it, one rule for every listing and message: as it is when it is UTF-8
    /// without control characters, backslashes or quotes; otherwise in the shell's $'...' quoting (\\ a backslash,
    /// \' a quote, \n and \t, \xNN any other control character or byte that is not UTF-8). So a printed name is
    /// one line, no two names print alike, and pasted into a shell it is the name's bytes again; PathArgument also
    /// reads it back when it is given verbatim.
    /// </summary>
    public static string Quoted(ReadOnlySpan<byte> path)
    {
        if (!NeedsQuoting(path)) return Encoding.UTF8.GetString(path);
        var sb = new StringBuilder("$'");
        int i = 0;
        while (i < path.Length)
        {
            byte b = path[i];
            switch (b)
            {
                case (byte)'\\': sb.Append(@"\\"); i++; continue;
                case (byte)'\'': sb.Append(@"\'"); i++; continue;
                case (byte)'\n': sb.Append(@"\n"); i++; continue;
                case (byte)'\t': sb.Append(@"\t"); i++; continue;
            }
            int len = b < 0x20 || b == 0x7f ? 0 : Utf8SequenceLength(path[i..]);
            if (len > 0) { sb.Append(Encoding.UTF8.GetString(path.Slice(i, len))); i += len; }
            else { sb.Append($"\\x{b:x2}"); i++; }
        }
        return sb.Append('\'').ToString();
    }

    private static bool NeedsQuoting(ReadOnlySpan<byte> path)
    {
        foreach (byte b in path)
            if (b < 0x20 || b == 0x7f || b == (byte)'\\' || b == (byte)'\'') return true;
        if (path.IndexOfAnyInRange((byte)0x80, (byte)0xff) < 0) return false;
        try { StrictUtf8.GetString(path); return false; }
        catch (DecoderFallbackException) { return true; }
    }

    private static int Utf8SequenceLength(ReadOnlySpan<byte> s)
    {
        for (int len = 1; len <= 4 && len <= s.Length; len++)
        {
            try { StrictUtf8.GetString(s[..len]); return len; }
            catch (DecoderFallbackException) { }
        }
        return 0;
    }

    /// <summary>Splits "/a/b/c" into its components, skipping empty ones.</summary>
    public static List<byte[]> Components(ReadOnlySpan<byte> path)
    {
        var parts = new List<byte[]>();
        int start = 0;
        for (int i = 0; i <= path.Length; i++)
        {
            if (i == path.Length || path[i] == (byte)'/')
            {
                if (i > start) parts.Add(path[start..i].ToArray());
                start = i + 1;
            }
        }
        return parts;
    }

    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

    /// <summary>Drops trailing slashes (except for "/").</summary>
    public static string Normalize(string path)
    {
        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }

    /// <summary>True when path is root or lies beneath it.</summary>
    public static bool IsWithin(ReadOnlySpan<byte> path, ReadOnlySpan<byte> root)
    {
        if (root.Length == 1 && root[0] == (byte)'/') return path.Length > 0 && path[0] == (byte)'/';
        if (!path.StartsWith(root)) return false;
        return path.Length == root.Length || path[root.Length] == (byte)'/';
    }

    /// <summary>Equality by content, for sets and dictionaries keyed by paths.</summary>
    public static IEqualityComparer<byte[]> EqualityComparer => Snapshots.ByteStringComparer.Instance;

    public static readonly IComparer<byte[]> Comparer = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));
}
