// A restore stopped because going on could write outside the destination: a symlink where a directory must be
// descended into, a directory swapped while being filled, or a name no directory may hold. Names the path.
using TimeTravel.Store.Posix;

namespace TimeTravel.Store.Restore;

public sealed class RestoreRefusedException(byte[] path, string problem)
    : IOException($"{PathBytes.Display(path)}: {problem}; restore refused")
{
    public string PathText { get; } = PathBytes.Display(path);
}
