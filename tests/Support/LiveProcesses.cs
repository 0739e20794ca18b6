// Which live processes mention a text in their command line: how the Ceph tests check that no daemon of a cluster
// directory survived its stop (a zombie's command line is empty, so it counts as gone).
namespace TimeTravel.Tests;

public static class LiveProcesses
{
    public static List<int> Naming(string text) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!)).Where(pid => CommandLine(pid).Contains(text)).ToList();

    /// <summary>The command line of process PID, arguments separated by spaces; "" once it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
