// One decoded fanotify event: its mask and the fid information records that came with it.
namespace TimeTravel.Kernel.Tracking;

internal sealed record FanotifyEvent(ulong Mask, IReadOnlyList<FidInfo> Infos)
{
    public FidInfo? Find(byte infoType) => Infos.FirstOrDefault(i => i.InfoType == infoType);
}

/// <param name="Handle">The whole struct file_handle (header and opaque bytes), ready for open_by_handle_at.</param>
/// <param name="Name">The entry name for *_DFID_NAME records, otherwise null.</param>
internal sealed record FidInfo(byte InfoType, ulong FsId, byte[] Handle, byte[]? Name);
