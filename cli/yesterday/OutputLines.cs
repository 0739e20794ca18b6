// Copies a child's standard output to ours, replacing one byte string with another in each line (diff -r names the
// scratch copy of the old tree; the user should see the snapshot's path). Bytes, not text: diffed content need not be UTF-8.
namespace TimeTravel.Yesterday;

public static class OutputLines
{
    public static void Replace(Stream from, byte[] what, byte[] with)
    {
        using var to = Console.OpenStandardOutput();
        var line = new List<byte>(256);
        var buffer = new byte[64 << 10];
        for (int n; (n = from.Read(buffer)) > 0;)
            for (int i = 0; i < n; i++)
            {
                line.Add(buffer[i]);
                if (buffer[i] == (byte)'\n') { Write(to, line, what, with); line.Clear(); }
            }
        Write(to, line, what, with);
        to.Flush();
    }

    private static void Write(Stream to, List<byte> line, byte[] what, byte[] with)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line);
        for (int at; (at = span.IndexOf(what)) >= 0; span = span[(at + what.Length)..])
        {
            to.Write(span[..at]);
            to.Write(with);
        }
        to.Write(span);
    }
}
