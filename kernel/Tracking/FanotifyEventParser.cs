// Decodes a buffer returned by read(2) on a fanotify descriptor into events; pure, so it is tested on made-up bytes.
using System.Buffers.Binary;
using TimeTravel.Kernel.Interop;

namespace TimeTravel.Kernel.Tracking;

internal static class FanotifyEventParser
{
    public static List<FanotifyEvent> Parse(ReadOnlySpan<byte> buffer)
    {
        var events = new List<FanotifyEvent>();
        while (buffer.Length >= FanotifyEventMetadata.Size)
        {
            uint eventLen = BinaryPrimitives.ReadUInt32LittleEndian(buffer);                 // event_len  0-3
            byte version = buffer[4];                                                       // vers       4
            ushort metadataLen = BinaryPrimitives.ReadUInt16LittleEndian(buffer[6..]);       // metadata_len 6-7
            ulong mask = BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]);               // mask       8-15
            if (version != FanotifyConstants.FANOTIFY_METADATA_VERSION)
                throw new InvalidDataException($"fanotify metadata version {version}, expected {FanotifyConstants.FANOTIFY_METADATA_VERSION}");
            if (eventLen < metadataLen || eventLen > buffer.Length || metadataLen < FanotifyEventMetadata.Size)
                throw new InvalidDataException($"fanotify event length {eventLen} does not fit the {buffer.Length} bytes read");

            events.Add(new FanotifyEvent(mask, ParseInfos(buffer[metadataLen..(int)eventLen])));
            buffer = buffer[(int)eventLen..];
        }
        if (buffer.Length != 0) throw new InvalidDataException($"{buffer.Length} stray bytes after the last fanotify event");
        return events;
    }

    private static List<FidInfo> ParseInfos(ReadOnlySpan<byte> records)
    {
        var infos = new List<FidInfo>();
        while (records.Length >= FanotifyEventInfoHeader.Size)
        {
            byte type = records[0];                                                    // info_type 0
            ushort len = BinaryPrimitives.ReadUInt16LittleEndian(records[2..]);         // len       2-3
            if (len < FanotifyEventInfoHeader.Size || len > records.Length)
                throw new InvalidDataException($"fanotify info record length {len} does not fit");
            var record = records[..len];
            records = records[len..];
            if (!IsFid(type)) continue;   // pidfd, error and future records carry nothing we need

            int fsid0 = BinaryPrimitives.ReadInt32LittleEndian(record[4..]);           // fsid.val[0] 4-7
            int fsid1 = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);           // fsid.val[1] 8-11
            var handleAndName = record[FanotifyEventInfoFid.HandleOffset..];
            int handleBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(handleAndName);   // handle_bytes
            int handleLen = FileHandle.HeaderSize + handleBytes;
            if (handleLen > handleAndName.Length) throw new InvalidDataException("fanotify file handle overruns its record");

            byte[]? name = null;
            if (type is FanotifyConstants.FAN_EVENT_INFO_TYPE_DFID_NAME
                or FanotifyConstants.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME
                or FanotifyConstants.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME)
            {
                var rest = handleAndName[handleLen..];
                int nul = rest.IndexOf((byte)0);
                name = (nul < 0 ? rest : rest[..nul]).ToArray();
            }
            infos.Add(new FidInfo(type, FileHandles.Combine(fsid0, fsid1), handleAndName[..handleLen].ToArray(), name));
        }
        return infos;
    }

    private static bool IsFid(byte type) => type is FanotifyConstants.FAN_EVENT_INFO_TYPE_FID
        or FanotifyConstants.FAN_EVENT_INFO_TYPE_DFID_NAME or FanotifyConstants.FAN_EVENT_INFO_TYPE_DFID
        or FanotifyConstants.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME or FanotifyConstants.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME;
}
