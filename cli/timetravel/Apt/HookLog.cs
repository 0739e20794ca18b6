// Where the apt hook says what it did: standard error with a "timetravel:" prefix (apt shows it), and a line appended
// to a log file, by default /var/log/timetravel/apt-hook.log (a file, not the journal: it is there on machines and
// containers without journald, and logrotate-able). Logging never fails the hook.
namespace TimeTravel.Cli.Apt;

public sealed class HookLog(string? file)
{
    public const string DefaultFile = "/var/log/timetravel/apt-hook.log";

    public void Say(string message)
    {
        try { Console.Error.WriteLine($"timetravel: {message}"); } catch (IOException) { }
        if (file is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            File.AppendAllText(file, $"{DateTimeOffset.Now:yyyy-MM-ddTHH:mm:sszzz} timetravel[{Environment.ProcessId}]: {message}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { }
    }
}
