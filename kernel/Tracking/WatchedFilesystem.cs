// One marked filesystem: its fsid, the source roots on it, and one directory descriptor per mount to resolve handles through.
using TimeTravel.Kernel.Interop;
using TimeTravel.Store.Interop;

namespace TimeTravel.Kernel.Tracking;

internal sealed class WatchedFilesystem(ulong fsId, bool isExt4 = false) : IDisposable
{
    public ulong FsId { get; } = fsId;

    /// <summary>ext4 (statfs f_type 0xEF53): the filesystem the range tracker covers.</summary>
    public bool IsExt4 { get; } = isExt4;
    public List<(string Text, byte[] Bytes)> Sources { get; } = [];

    /// <summary>Mount id (from name_to_handle_at) to the descriptor of the first source root seen on that mount.</summary>
    public Dictionary<int, FileDescriptor> MountFds { get; } = [];

    public void Dispose()
    {
        foreach (var fd in MountFds.Values) fd.Dispose();
    }
}
