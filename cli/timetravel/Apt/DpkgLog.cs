// The packages a dpkg run changed, from /var/log/dpkg.log: the lines appended since the pre checkpoint noted the
// log's size. Chosen over APT's DPkg::Pre-Install-Pkgs (version 3 protocol) because it needs no third hook, sees
// what dpkg actually did (not what apt planned), and works the same for a plain `dpkg -i` outside apt.
namespace TimeTravel.Cli.Apt;

public static class DpkgLog
{
    public const string DefaultPath = "/var/log/dpkg.log";

    /// <summary>The log's size now (where the next run's lines will start); 0 when there is no log yet.</summary>
    public static long End(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>The package actions logged from byte `from` on; from the start when the log is shorter (rotated).</summary>
    public static List<string> ActionsSince(string path, long from)
    {
        if (!File.Exists(path)) return [];
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (from > f.Length) from = 0;
        f.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(f);
        var actions = new List<string>();
        while (reader.ReadLine() is { } line)
            if (Action(line) is { } a) actions.Add(a);
        return actions;
    }

    /// <summary>
    /// One log line as an action: "2026-12-03 15:00:01 install hello:all &lt;none&gt; 1.0" is "install hello:all 1.0",
    /// upgrade "upgrade libc6:amd64 2.36-9 -> 2.36-10", remove and purge "remove foo:amd64 2.0"; other lines null.
    /// </summary>
    public static string? Action(string line)
    {
        var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length != 6) return null;
        return w[2] switch
        {
            "install" => $"install {w[3]} {w[5]}",
            "upgrade" => w[4] == w[5] ? $"reinstall {w[3]} {w[5]}" : $"upgrade {w[3]} {w[4]} -> {w[5]}",
            "remove" or "purge" => $"{w[2]} {w[3]} {w[4]}",
            _ => null,
        };
    }

    /// <summary>The note of a post snapshot: the actions joined by "; ", at most `max` of them then "and N more".</summary>
    public static string Note(IReadOnlyList<string> actions, int max = 30) =>
        actions.Count == 0 ? "no package changed"
        : string.Join("; ", actions.Take(max)) + (actions.Count > max ? $"; and {actions.Count - max} more" : "");
}
