// Exclude patterns, as restic and rsync users write them: a pattern with a slash matches the whole absolute path,
// one without matches any name; `*` and `?` stay within a name, `**` crosses directories.
using System.Text;
using System.Text.RegularExpressions;
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Snapshots;

public sealed class ExcludeRules
{
    private readonly List<Regex> _paths = [], _names = [];
    private readonly List<byte[]> _prefixes = [];

    public ExcludeRules(IEnumerable<string> patterns, IEnumerable<string>? excludedDirectories = null)
    {
        foreach (var p in patterns)
        {
            var trimmed = p.TrimEnd('/');
            if (trimmed.Length == 0) continue;
            var rx = new Regex("^" + GlobToRegex(trimmed) + "$", RegexOptions.CultureInvariant);
            (trimmed.Contains('/') ? _paths : _names).Add(rx);
        }
        foreach (var d in excludedDirectories ?? []) _prefixes.Add(PathBytes.From(Path.GetFullPath(d).TrimEnd('/')));
    }

    public bool IsExcluded(byte[] absolutePath, byte[] name)
    {
        foreach (var prefix in _prefixes)
            if (absolutePath.AsSpan().SequenceEqual(prefix)) return true;
        if (_paths.Count == 0 && _names.Count == 0) return false;
        string path = PathBytes.Display(absolutePath), n = PathBytes.Display(name);
        foreach (var r in _names) if (r.IsMatch(n)) return true;
        foreach (var r in _paths) if (r.IsMatch(path)) return true;
        return false;
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*') { sb.Append(".*"); i++; }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return sb.ToString();
    }
}
