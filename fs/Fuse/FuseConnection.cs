// Connection parameters shown to ILowLevelFileSystem.Init; the filesystem may change Want and the tuning fields.
namespace TimeTravel.Fs.Fuse;

public struct FuseConnection
{
    public uint ProtocolMajor;       // read-only
    public uint ProtocolMinor;       // read-only
    public uint Capable;             // FuseCap bits the kernel and libfuse support (read-only)
    public uint Want;                // FuseCap bits to use; the host masks it with Capable
    public uint MaxReadahead;
    public uint MaxBackground;
    public uint CongestionThreshold;
    public uint TimeGranularity;     // nanoseconds; 1 = full timestamp precision
}
