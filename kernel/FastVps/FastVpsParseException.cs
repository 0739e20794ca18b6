// A FastVPS log line that does not follow the format, named by file and line number.
namespace TimeTravel.Kernel.FastVps;

public sealed class FastVpsParseException(string file, int line, string problem)
    : FormatException($"{file}:{line}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
