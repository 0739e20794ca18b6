// Where the store's warnings go: things a command goes on despite, but its user must hear about (a store directory
// others may enter, a damaged snapshot record left out). The command-line program prints them on standard error.
namespace TimeTravel.Store;

public static class StoreWarnings
{
    public static Action<string> Warn { get; set; } = m => Console.Error.WriteLine($"timetravel: warning: {m}");
}
