// What an import did: how many changes it took, and every malformed line it met (each also an Incomplete marker).
namespace TimeTravel.Kernel.FastVps;

public sealed record ImportResult(int Imported, IReadOnlyList<FastVpsParseException> Errors)
{
    public bool Clean => Errors.Count == 0;
}
