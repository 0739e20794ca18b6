// Where a store's snapshots are mounted: the timetravel FUSE mount whose source names the store, else the default.
namespace TimeTravel.Yesterday;

public static class MountLocator
{
    public const string DefaultMountPoint = "/backup/.snapshot";

    public static (string MountPoint, bool Mounted) Find(string storeRoot)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // ... mount-point ... - fstype source options
                int dash = line.IndexOf(" - ", StringComparison.Ordinal);
                if (dash < 0) continue;
                var left = line[..dash].Split(' ');
                var right = line[(dash + 3)..].Split(' ');
                if (right.Length >= 2 && right[0] == "fuse.timetravel" && Unescape(right[1]) == "timetravel:" + storeRoot && left.Length > 4)
                    return (Unescape(left[4]), true);
            }
        }
        catch (IOException) { }
        return (DefaultMountPoint, false);
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.Substring(i + 1, 3).All(c => c is >= '0' and <= '7'))
            { sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8)); i += 3; }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
