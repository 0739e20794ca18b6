// Commands added by later parts (mount, tracking, history) register here.
using System.CommandLine;

namespace TimeTravel.Cli;

public static partial class Extensions
{
    public static IEnumerable<Command> Commands() => [];
}
