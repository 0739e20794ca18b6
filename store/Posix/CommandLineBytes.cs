// The command line as the kernel passed it. .NET hands Main its arguments as strings, each byte that is not UTF-8
// replaced by U+FFFD, so two names typed with tab completion (`f\xff`, `f\xfe`) arrive alike and a command would act
// on the wrong file. Arguments() reads the bytes from /proc/self/cmdline and gives them back as strings in which
// every byte that is not UTF-8 is the lone surrogate U+DC00+byte (Python's "surrogateescape"): the parser passes
// them through untouched, and Bytes() turns any argument value back into exactly the bytes that were typed.
using System.Text;

namespace TimeTravel.Store.Posix;

public static class CommandLineBytes
{
    private const char EscapeBase = '\uDC00';

    /// <summary>
    /// `args` as Main got them, with each argument that is not UTF-8 rewritten from its raw bytes. The raw arguments
    /// are the last args.Length entries of /proc/self/cmdline (before them: the program, or `dotnet` and the dll);
    /// when they do not match `args` (no /proc), `args` are returned as they are.
    /// </summary>
    public static string[] Arguments(string[] args)
    {
        if (!args.Any(a => a.Contains('\uFFFD'))) return args;
        List<byte[]> raw;
        try { raw = Split(File.ReadAllBytes("/proc/self/cmdline")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return args; }
        if (raw.Count < args.Length) return args;
        var tail = raw.Skip(raw.Count - args.Length).ToList();
        for (int i = 0; i < args.Length; i++)
            if (!SameArgument(tail[i], args[i])) return args;
        return tail.Select(Escaped).ToArray();
    }

    /// <summary>The bytes of an argument that Arguments() gave (plain text is its UTF-8).</summary>
    public static byte[] Bytes(string argument)
    {
        if (!argument.Any(IsEscapedByte)) return Encoding.UTF8.GetBytes(argument);
        var bytes = new List<byte>(argument.Length);
        for (int i = 0; i < argument.Length; i++)
        {
            char c = argument[i];
            if (IsEscapedByte(c) && (i == 0 || !char.IsHighSurrogate(argument[i - 1]))) { bytes.Add((byte)(c - EscapeBase)); continue; }
            int n = char.IsHighSurrogate(c) && i + 1 < argument.Length && char.IsLowSurrogate(argument[i + 1]) ? 2 : 1;
            bytes.AddRange(Encoding.UTF8.GetBytes(argument.Substring(i, n)));
            i += n - 1;
        }
        return bytes.ToArray();
    }

    /// <summary>Whether an argument holds bytes that are not UTF-8 (it cannot be passed on as text).</summary>
    public static bool HasRawBytes(string argument) => argument.Any(IsEscapedByte);

    // UTF-8 never decodes to a lone low surrogate, so these stand for nothing else.
    private static bool IsEscapedByte(char c) => c >= '\uDC80' && c <= '\uDCFF';

    private static string Escaped(byte[] raw)
    {
        var sb = new StringBuilder(raw.Length);
        var span = raw.AsSpan();
        while (span.Length > 0)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span, out var rune, out int used);
            if (status == System.Buffers.OperationStatus.Done) sb.Append(rune.ToString());
            else { used = 1; sb.Append((char)(EscapeBase + span[0])); }
            span = span[used..];
        }
        return sb.ToString();
    }

    // The runtime's text of an argument: the same once every undecodable part (one or more U+FFFD) is left out of both.
    private static bool SameArgument(byte[] raw, string given)
    {
        string lossy = Encoding.UTF8.GetString(raw);
        if (lossy == given) return true;
        return Escaped(raw).Where(c => !IsEscapedByte(c) && c != '\uFFFD').SequenceEqual(given.Where(c => c != '\uFFFD'));
    }

    private static List<byte[]> Split(byte[] cmdline)
    {
        var parts = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < cmdline.Length; i++)
            if (cmdline[i] == 0) { parts.Add(cmdline[start..i]); start = i + 1; }
        if (start < cmdline.Length) parts.Add(cmdline[start..]);
        return parts;
    }
}
