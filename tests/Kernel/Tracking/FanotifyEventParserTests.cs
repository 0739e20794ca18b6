// The event decoder, on hand-made buffers laid out like the kernel's (no fanotify needed).
using System.Buffers.Binary;
using TimeTravel.Kernel.Interop;
using TimeTravel.Kernel.Tracking;
using Xunit;

namespace TimeTravel.Tests.Kernel.Tracking;

public sealed class FanotifyEventParserTests
{
    private static byte[] Event(ulong mask, params byte[][] infos)
    {
        int len = FanotifyEventMetadata.Size + infos.Sum(i => i.Length);
        var e = new byte[len];
        BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)len);
        e[4] = FanotifyConstants.FANOTIFY_METADATA_VERSION;
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(6), FanotifyEventMetadata.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(8), mask);
        BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(16), -1);
        int at = FanotifyEventMetadata.Size;
        foreach (var info in infos) { info.CopyTo(e, at); at += info.Length; }
        return e;
    }

    private static byte[] Info(byte type, byte[] handle, string? name)
    {
        byte[] nameBytes = name is null ? [] : [.. System.Text.Encoding.UTF8.GetBytes(name), 0];
        int len = (FanotifyEventInfoFid.Size + FileHandle.HeaderSize + handle.Length + nameBytes.Length + 3) & ~3;
        var r = new byte[len];
        r[0] = type;
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), (ushort)len);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(4), 0x1234);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(8), 0x5678);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(12), (uint)handle.Length);
        BinaryPrimitives.WriteInt32LittleEndian(r.AsSpan(16), 1);
        handle.CopyTo(r, 20);
        nameBytes.CopyTo(r, 20 + handle.Length);
        return r;
    }

    [Fact]
    public void ARenameEventYieldsOldAndNewDirectoryHandlesWithNames()
    {
        var buffer = Event(FanotifyConstants.FAN_RENAME,
            Info(FanotifyConstants.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, [1, 2, 3, 4, 5, 6, 7, 8], "from"),
            Info(FanotifyConstants.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, [9, 9, 9, 9, 9, 9, 9, 9], "to"));

        var e = Assert.Single(FanotifyEventParser.Parse(buffer));
        Assert.Equal(FanotifyConstants.FAN_RENAME, e.Mask);
        var from = e.Find(FanotifyConstants.FAN_EVENT_INFO_TYPE_OLD_DFID_NAME)!;
        Assert.Equal("from"u8.ToArray(), from.Name);
        Assert.Equal(16, from.Handle.Length);   // struct file_handle header + 8 handle bytes
        Assert.Equal(0x0000_5678_0000_1234UL, from.FsId);
        Assert.Equal("to"u8.ToArray(), e.Find(FanotifyConstants.FAN_EVENT_INFO_TYPE_NEW_DFID_NAME)!.Name);
    }

    [Fact]
    public void SeveralEventsInOneBufferAreAllDecoded()
    {
        byte[] buffer = [.. Event(FanotifyConstants.FAN_CREATE, Info(FanotifyConstants.FAN_EVENT_INFO_TYPE_DFID_NAME, [1, 2, 3, 4], "a")),
                         .. Event(FanotifyConstants.FAN_Q_OVERFLOW)];
        var events = FanotifyEventParser.Parse(buffer);
        Assert.Equal(2, events.Count);
        Assert.Empty(events[1].Infos);
    }

    [Fact]
    public void AnEventLongerThanTheBufferIsRejected()
    {
        var buffer = Event(FanotifyConstants.FAN_CREATE, Info(FanotifyConstants.FAN_EVENT_INFO_TYPE_DFID_NAME, [1, 2, 3, 4], "a"));
        Assert.Throws<InvalidDataException>(() => FanotifyEventParser.Parse(buffer.AsSpan(0, buffer.Length - 4)));
    }
}
