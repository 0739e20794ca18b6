// The files the running system holds: every file some process has mapped (its executable, the dynamic loader, libc,
// every shared library) or runs, from one pass over /proc/*/maps and /proc/*/exe, and the running kernel's modules
// and image. A rollback replaces such a file by rename like any other: the processes keep the old inode until they
// restart, so what changed under them is listed with the advice to restart them, or to reboot (init, the kernel).
using System.Text;

namespace TimeTravel.Store.Rollback;

public sealed class LiveSystemFiles
{
    private readonly Dictionary<string, SortedSet<(int Pid, string Name)>> _held = new(StringComparer.Ordinal);
    private readonly string[] _kernelPaths;
    private readonly int _self = Environment.ProcessId;

    private LiveSystemFiles(string kernelRelease)
    {
        _kernelPaths = kernelRelease.Length == 0 ? []
            : [$"/lib/modules/{kernelRelease}", $"/usr/lib/modules/{kernelRelease}", $"/boot/vmlinuz-{kernelRelease}", $"/boot/initrd.img-{kernelRelease}"];
    }

    /// <summary>Reads /proc once; processes that vanish or that may not be read meanwhile are passed over.</summary>
    public static LiveSystemFiles Scan()
    {
        var live = new LiveSystemFiles(ReadOrEmpty("/proc/sys/kernel/osrelease").Trim());
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string name = ReadOrEmpty($"{dir}/comm").Trim();
            try { if (new FileInfo($"{dir}/exe").LinkTarget is { } exe) live.Add(Undeleted(exe), pid, name); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            foreach (var line in ReadOrEmpty($"{dir}/maps").Split('\n'))
            {
                // "7f..-7f.. r-xp 00000000 08:01 1234    /usr/lib/x86_64-linux-gnu/libc.so.6": the path starts at the first '/'.
                int slash = line.IndexOf('/');
                if (slash > 0) live.Add(Undeleted(line[slash..]), pid, name);
            }
        }
        return live;
    }

    /// <summary>
    /// Who holds `path` (or, for a directory, anything below it): null when nothing does. Reboot says whether a
    /// reboot is advisable (the running kernel's files, or files of init), rather than restarting the holders.
    /// </summary>
    public (string Who, bool Reboot)? HeldBy(string path, bool directory)
    {
        foreach (var k in _kernelPaths)
            if (Under(k, path) || (directory && Under(path, k))) return ("the running kernel", true);
        var holders = new SortedSet<(int Pid, string Name)>();
        if (_held.TryGetValue(path, out var exact)) holders.UnionWith(exact);
        if (directory)
            foreach (var (file, who) in _held)
                if (Under(path, file)) holders.UnionWith(who);
        if (holders.Count == 0) return null;
        var names = holders.Select(h => h.Pid == _self ? $"this rollback ({h.Pid})" : $"{h.Name} ({h.Pid})").ToList();
        string shown = names.Count <= 4 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(4))} and {names.Count - 4} more";
        return ($"in use by {shown}", holders.Any(h => h.Pid == 1));
    }

    private void Add(string path, int pid, string name)
    {
        if (!_held.TryGetValue(path, out var set)) _held[path] = set = [];
        set.Add((pid, name));
    }

    private static bool Under(string dir, string path) =>
        path == dir || (path.StartsWith(dir, StringComparison.Ordinal) && (dir == "/" || path.Length > dir.Length && path[dir.Length] == '/'));

    private static string Undeleted(string path) => path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
