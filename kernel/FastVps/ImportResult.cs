// What an import did: how many changes it took and dropped, and every problem it met (each also an Incomplete marker).
namespace TimeTravel.Kernel.FastVps;

/// <param name="Imported">Changes journaled.</param>
/// <param name="Dropped">Well-formed lines whose path lies outside the sources, is excluded, or is in the store.</param>
/// <param name="Errors">Every malformed line ("FILE:LINE: problem") and every file that could not be read.</param>
public sealed record ImportResult(int Imported, int Dropped, IReadOnlyList<string> Errors)
{
    public bool Clean => Errors.Count == 0;
}
