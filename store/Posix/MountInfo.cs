// The mounts of this process, from /proc/self/mountinfo (mount points and sources there escape space, tab,
// newline and backslash as \ooo).
namespace TimeTravel.Store.Posix;

public readonly record struct MountEntry(string MountPoint, string FsType, string Source, string Device = ""); // Device: st_dev as MAJ:MIN

public static class MountInfo
{
    public static IEnumerable<MountEntry> Entries()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            int dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0) continue;
            var left = line[..dash].Split(' ');
            var right = line[(dash + 3)..].Split(' ');
            if (left.Length > 4 && right.Length >= 2) yield return new MountEntry(Unescape(left[4]), right[0], Unescape(right[1]), left[2]);
        }
    }

    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0) full = "/";
        return Entries().Any(e => e.MountPoint == full);
    }

    public static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.Substring(i + 1, 3).All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
