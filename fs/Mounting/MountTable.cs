// What is mounted where, from /proc/self/mountinfo (mount points there escape space, tab, newline and backslash as \ooo).
namespace TimeTravel.Fs.Mounting;

public static class MountTable
{
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0) full = "/";
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == full) return true;
        }
        return false;
    }

    public static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s[(i + 1)..(i + 4)].All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
