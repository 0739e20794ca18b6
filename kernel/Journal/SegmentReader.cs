// Reads a segment file frame by frame, telling a torn tail (ignored) from damage in the middle (reported).
using System.Buffers.Binary;
using System.IO.Hashing;

namespace TimeTravel.Kernel.Journal;

internal static class SegmentReader
{
    public static SegmentContents Read(string path, long number)
    {
        var data = File.ReadAllBytes(path);
        var records = new List<JournalRecord>();
        if (data.Length < JournalCodec.Magic.Length)
            return new SegmentContents(number, records, 0, TornTail: true, Damage: null);   // crash while creating it
        if (!data.AsSpan(0, JournalCodec.Magic.Length).SequenceEqual(JournalCodec.Magic))
            return new SegmentContents(number, records, 0, false, $"{path}: not a version 1 journal segment");

        int offset = JournalCodec.Magic.Length;
        while (offset < data.Length)
        {
            int remaining = data.Length - offset;
            if (remaining < JournalCodec.FrameHeaderSize) return new SegmentContents(number, records, offset, true, null);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 4));
            if (length > remaining - JournalCodec.FrameHeaderSize) return new SegmentContents(number, records, offset, true, null);

            var payload = data.AsSpan(offset + JournalCodec.FrameHeaderSize, (int)length);
            int end = offset + JournalCodec.FrameHeaderSize + (int)length;
            string? problem = length > JournalCodec.MaxPayload ? "record longer than the maximum"
                : Crc32.HashToUInt32(payload) != crc ? "checksum mismatch"
                : null;
            JournalRecord? record = null;
            if (problem is null)
            {
                try { record = JournalCodec.DecodePayload(payload); }
                catch (InvalidDataException e) { problem = e.Message; }
            }
            if (problem is not null)
            {
                bool last = end == data.Length;
                return new SegmentContents(number, records, offset, last, last ? null : $"{path} offset {offset}: {problem}");
            }
            records.Add(record!);
            offset = end;
        }
        return new SegmentContents(number, records, offset, false, null);
    }
}
