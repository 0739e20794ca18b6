// Content-defined chunking sizes; fixed per store (recorded in its config) so that equal content cuts equally.
namespace TimeTravel.Store.Chunking;

public sealed record ChunkerParameters(int MinSize, int AverageSize, int MaxSize)
{
    /// <summary>16 KiB / 64 KiB / 256 KiB: small enough that an edit or an appended log costs little, large enough to keep the index small.</summary>
    public static readonly ChunkerParameters Default = new(16 * 1024, 64 * 1024, 256 * 1024);
}
