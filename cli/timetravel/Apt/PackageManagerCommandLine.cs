// Which package manager run a hook belongs to, found by walking up the parent processes (/proc/PID/stat and
// cmdline) to the nearest apt, apt-get, aptitude, unattended-upgrades or dpkg: its command line is the checkpoint's note.
namespace TimeTravel.Cli.Apt;

public static class PackageManagerCommandLine
{
    // comm is cut to 15 bytes by the kernel: "unattended-upgrades" is "unattended-upgr".
    private static readonly Dictionary<string, string> Known = new()
    {
        ["apt"] = "apt", ["apt-get"] = "apt", ["aptitude"] = "apt", ["unattended-upgr"] = "apt", ["dpkg"] = "dpkg",
    };

    /// <summary>"apt: apt-get install -y ./hello.deb" or "dpkg: dpkg -i hello.deb"; "apt: (command line not found)" when no ancestor is one.</summary>
    public static string Find() => Find(Environment.ProcessId, Read);

    /// <summary>The walk itself over a process table: read(pid) gives (parent pid, comm, command line) or null once gone.</summary>
    public static string Find(int self, Func<int, (int Parent, string Comm, string CommandLine)?> read)
    {
        int pid = self;
        for (int depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (read(pid) is not { } p) break;
            if (pid != self && Known.TryGetValue(p.Comm, out var kind)) return $"{kind}: {p.CommandLine}";
            pid = p.Parent;
        }
        return "apt: (command line not found)";
    }

    private static (int, string, string)? Read(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // "PID (comm) STATE PPID ...": comm may hold spaces and parentheses, so read after the last ')'.
            int close = stat.LastIndexOf(')');
            int open = stat.IndexOf('(');
            var rest = stat[(close + 2)..].Split(' ');
            string comm = stat[(open + 1)..close];
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
            return (int.Parse(rest[1]), comm, cmdline.Length > 0 ? cmdline : comm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
