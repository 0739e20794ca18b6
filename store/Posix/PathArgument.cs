// How every command reads a path it is given, in one place. A path is the bytes typed (CommandLineBytes keeps the
// ones that are not UTF-8), relative to the current directory when it does not start with '/'. A name may also be
// given in an escaped form: as the commands print it ($'...', see PathBytes.Quoted) or as earlier versions printed
// it (\xNN for a byte, \\ for a backslash). The escaped reading is used only when the literal one names nothing and
// the escaped one names something, so a real name that merely looks escaped (`a\x41` beside `aA`) is never taken
// for another.

namespace TimeTravel.Store.Posix;

public static class PathArgument
{
    /// <summary>The readings of a typed path: the bytes as given, then, when they hold an escape, the unescaped bytes.</summary>
    public static IReadOnlyList<byte[]> Readings(byte[] typed) =>
        Unescaped(typed) is { } decoded && !decoded.AsSpan().SequenceEqual(typed) ? [typed, decoded] : [typed];

    /// <summary>
    /// The first of `readings` that `names` says names something (a file now, or in the snapshots the command reads);
    /// the first reading when none does, so the error names what was typed.
    /// </summary>
    public static byte[] Choose(IReadOnlyList<byte[]> readings, Func<byte[], bool> names)
    {
        if (readings.Count == 1) return readings[0];
        foreach (var r in readings) if (names(r)) return r;
        return readings[0];
    }

    /// <summary>
    /// The absolute path, by name only (no symlink followed, as `realpath -s`): relative to `cwd`; empty names, '.'
    /// and '..' resolved; no trailing slash (except "/").
    /// </summary>
    public static byte[] Absolute(byte[] typed, byte[] cwd)
    {
        var parts = new List<byte[]>();
        foreach (var part in typed.Length > 0 && typed[0] == (byte)'/' ? PathBytes.Components(typed) : [.. PathBytes.Components(cwd), .. PathBytes.Components(typed)])
        {
            if (part is [(byte)'.']) continue;
            if (part is [(byte)'.', (byte)'.']) { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        if (parts.Count == 0) return "/"u8.ToArray();
        var result = new List<byte>();
        foreach (var p in parts) { result.Add((byte)'/'); result.AddRange(p); }
        return result.ToArray();
    }

    /// <summary>The current directory's bytes (Environment.CurrentDirectory is text: a name that is not UTF-8 would be lost).</summary>
    public static byte[] CurrentDirectory()
    {
        try { return PosixFs.ReadLink("/proc/self/cwd"u8.ToArray()); }
        catch (PosixException) { return PathBytes.From(Environment.CurrentDirectory); }
    }

    /// <summary>
    /// The bytes an escaped form stands for, or null when it holds no escape: $'...' as bash reads it (\\ \' \n \t \r
    /// \xH[H]), and outside such quotes \xNN and \\. A backslash before anything else stays a backslash.
    /// </summary>
    public static byte[]? Unescaped(ReadOnlySpan<byte> text)
    {
        var bytes = new List<byte>(text.Length);
        bool changed = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == (byte)'$' && i + 1 < text.Length && text[i + 1] == (byte)'\'' && AnsiC(text[(i + 2)..], bytes) is int used)
            {
                i += 1 + used;
                changed = true;
                continue;
            }
            if (text[i] == (byte)'\\' && i + 1 < text.Length && text[i + 1] == (byte)'\\') { bytes.Add((byte)'\\'); i++; changed = true; continue; }
            if (text[i] == (byte)'\\' && i + 3 < text.Length && text[i + 1] == (byte)'x' && Hex(text[i + 2]) >= 0 && Hex(text[i + 3]) >= 0)
            {
                bytes.Add((byte)(Hex(text[i + 2]) * 16 + Hex(text[i + 3])));
                i += 3;
                changed = true;
                continue;
            }
            bytes.Add(text[i]);
        }
        return changed ? bytes.ToArray() : null;
    }

    // The inside of $'...' up to its closing quote: appends what it stands for and returns how many bytes it used
    // (with the quote); null when it is not closed (then it is no escape at all).
    private static int? AnsiC(ReadOnlySpan<byte> s, List<byte> into)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == (byte)'\'') { into.AddRange(bytes); return i + 1; }
            if (s[i] != (byte)'\\' || i + 1 >= s.Length) { bytes.Add(s[i]); continue; }
            byte e = s[++i];
            switch (e)
            {
                case (byte)'n': bytes.Add((byte)'\n'); break;
                case (byte)'t': bytes.Add((byte)'\t'); break;
                case (byte)'r': bytes.Add((byte)'\r'); break;
                case (byte)'\\' or (byte)'\'' or (byte)'"': bytes.Add(e); break;
                case (byte)'x' when i + 1 < s.Length && Hex(s[i + 1]) >= 0:
                    int v = Hex(s[++i]);
                    if (i + 1 < s.Length && Hex(s[i + 1]) >= 0) v = v * 16 + Hex(s[++i]);
                    bytes.Add((byte)v);
                    break;
                default: bytes.Add((byte)'\\'); bytes.Add(e); break;
            }
        }
        return null;
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
