// Formatting for people: sizes, modes, times.
using TimeTravel.Store.Posix;
using TimeTravel.Store.Trees;

namespace TimeTravel.Cli.Output;

public static class Human
{
    public static string Bytes(long n)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = n; int u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{n} B" : $"{v:0.0} {units[u]}";
    }

    public static string Mode(FileKind kind, uint mode)
    {
        char t = kind switch
        {
            FileKind.Directory => 'd', FileKind.Symlink => 'l', FileKind.Fifo => 'p', FileKind.CharDevice => 'c',
            FileKind.BlockDevice => 'b', FileKind.Socket => 's', _ => '-',
        };
        var s = new char[10];
        s[0] = t;
        string rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) s[i + 1] = (mode & (1u << (8 - i))) != 0 ? rwx[i] : '-';
        if ((mode & 0x800) != 0) s[3] = s[3] == 'x' ? 's' : 'S';
        if ((mode & 0x400) != 0) s[6] = s[6] == 'x' ? 's' : 'S';
        if ((mode & 0x200) != 0) s[9] = s[9] == 'x' ? 't' : 'T';
        return new string(s);
    }

    public static DateTimeOffset Time(long ns) => DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000).ToLocalTime();

    public static string LsLine(Node n, string name) =>
        $"{Mode(n.Kind, n.Mode)} {n.NLink,3} {n.Uid,6} {n.Gid,6} {(n.Kind is FileKind.CharDevice or FileKind.BlockDevice ? $"{n.RDev >> 8 & 0xfff},{n.RDev & 0xff}" : n.Size.ToString()),12} {Time(n.MTimeNs):yyyy-MM-dd HH:mm:ss} {name}"
        + (n.LinkTarget is { } t ? " -> " + PathBytes.Quoted(t) : "");
}
