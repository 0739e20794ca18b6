// A store file that is damaged, of an unknown format, or of a newer version: the message names the file.
namespace TimeTravel.Store;

public sealed class StoreFormatException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string FilePath { get; } = path;
    public string Problem { get; } = problem;
}
