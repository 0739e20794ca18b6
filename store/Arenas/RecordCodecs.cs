// Which codecs a writer may use. A store of format 1 is written with LZ4 only, so the timetravel that made it can
// still read it; format 2 (the default for new stores) adds zstd.
namespace TimeTravel.Store.Arenas;

public enum RecordCodecs
{
    Lz4,
    Lz4OrZstd,
}
