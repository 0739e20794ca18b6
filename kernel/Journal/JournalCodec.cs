// The journal's on-disk format, in one place. Version 1:
//
//   segment file   = magic "TTJRNL\0\x01" (bytes 0-7), then frames until end of file
//   frame          = length u32 LE (0-3) | crc32 of payload u32 LE (4-7) | payload (length bytes)
//   payload        = type u8 | fields, each integer little-endian, each byte string as u32 length + bytes
//     1 Change          kind u8 | isDirectory u8 | path | renamedTo (empty when not a rename)
//     2 TrackerStarted  unix ms i64 | session u64 | count u32 | source * count
//     3 TrackerStopped  unix ms i64 | session u64 | clean u8
//     4 Heartbeat       unix ms i64 | session u64
//     5 Incomplete      unix ms i64 | source (empty: all sources) | reason (UTF-8)
//     6 SnapshotCut     unix ms i64 | cut id i64
//     7 Watching        unix ms i64 | session u64 | count u32 | watched * count
//     8 LogImported     unix ms i64 | run u64 | finished u8 | complete u8 | files u32 + file * files
//                       | count u32 | watched * count
//     9 ContentByRanges unix ms i64 | session u64 | range session u64 | count u32 | fsid u64 * count
//   watched        = path | fingerprint (ASCII) | st_dev u64 | st_ino u64 | fsid u64
//
// Types 7, 8 and 9 were added without changing the version: a reader that predates them reports the segment damaged,
// and a damaged interval is walked, which is safe.
//
// A frame that runs past the end of the file, or whose CRC fails while nothing follows it, is a torn tail from a
// crash mid-append: it is ignored (and cut off by the next writer). A bad frame with data after it is damage.
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using TimeTravel.Kernel.Tracking;

namespace TimeTravel.Kernel.Journal;

internal static class JournalCodec
{
    public static ReadOnlySpan<byte> Magic => "TTJRNL\0\x01"u8;
    public const int FrameHeaderSize = 8;
    public const int MaxPayload = 1 << 20;

    private const byte TypeChange = 1, TypeStarted = 2, TypeStopped = 3, TypeHeartbeat = 4, TypeIncomplete = 5, TypeCut = 6, TypeWatching = 7, TypeImported = 8, TypeContentByRanges = 9;

    public static void AppendFrame(List<byte> output, JournalRecord record)
    {
        var payload = EncodePayload(record);
        Span<byte> header = stackalloc byte[FrameHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        output.AddRange(header);
        output.AddRange(payload);
    }

    public static byte[] EncodePayload(JournalRecord record)
    {
        var w = new PayloadWriter();
        switch (record)
        {
            case ChangeEntry { Change: var c }:
                w.U8(TypeChange).U8((byte)c.Kind).U8(c.IsDirectory ? (byte)1 : (byte)0).Bytes(c.Path).Bytes(c.RenamedTo ?? []);
                break;
            case TrackerStarted s:
                w.U8(TypeStarted).I64(s.Time.ToUnixTimeMilliseconds()).U64(s.Session).U32((uint)s.Sources.Count);
                foreach (var source in s.Sources) w.Bytes(Encoding.UTF8.GetBytes(source));
                break;
            case TrackerStopped s:
                w.U8(TypeStopped).I64(s.Time.ToUnixTimeMilliseconds()).U64(s.Session).U8(s.Clean ? (byte)1 : (byte)0);
                break;
            case Heartbeat h:
                w.U8(TypeHeartbeat).I64(h.Time.ToUnixTimeMilliseconds()).U64(h.Session);
                break;
            case IncompleteMarker m:
                w.U8(TypeIncomplete).I64(m.Time.ToUnixTimeMilliseconds()).Bytes(Encoding.UTF8.GetBytes(m.Source ?? ""))
                    .Bytes(Encoding.UTF8.GetBytes(m.Reason));
                break;
            case SnapshotCut cut:
                w.U8(TypeCut).I64(cut.Time.ToUnixTimeMilliseconds()).I64(cut.CutId);
                break;
            case Watching watching:
                w.U8(TypeWatching).I64(watching.Time.ToUnixTimeMilliseconds()).U64(watching.Session);
                EncodeWatched(w, watching.Sources);
                break;
            case ContentByRanges delegated:
                w.U8(TypeContentByRanges).I64(delegated.Time.ToUnixTimeMilliseconds()).U64(delegated.Session).U64(delegated.RangeSession)
                    .U32((uint)delegated.FsIds.Count);
                foreach (var fsId in delegated.FsIds) w.U64(fsId);
                break;
            case LogImported import:
                w.U8(TypeImported).I64(import.Time.ToUnixTimeMilliseconds()).U64(import.Run)
                    .U8(import.Finished ? (byte)1 : (byte)0).U8(import.Complete ? (byte)1 : (byte)0).U32((uint)import.Files.Count);
                foreach (var file in import.Files) w.Bytes(Encoding.UTF8.GetBytes(file));
                EncodeWatched(w, import.Sources);
                break;
            default:
                throw new ArgumentException($"unknown journal record {record.GetType().Name}");
        }
        return w.ToArray();
    }

    /// <summary>Decodes one payload, checking it consumed exactly its bytes.</summary>
    public static JournalRecord DecodePayload(ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        JournalRecord record = r.U8() switch
        {
            TypeChange => DecodeChange(ref r),
            TypeStarted => DecodeStarted(ref r),
            TypeStopped => new TrackerStopped(r.Time(), r.U64(), r.U8() != 0),
            TypeHeartbeat => new Heartbeat(r.Time(), r.U64()),
            TypeIncomplete => DecodeIncomplete(ref r),
            TypeCut => new SnapshotCut(r.Time(), r.I64()),
            TypeWatching => new Watching(r.Time(), r.U64(), DecodeWatched(ref r)),
            TypeImported => DecodeImported(ref r),
            TypeContentByRanges => DecodeContentByRanges(ref r),
            var t => throw new InvalidDataException($"unknown journal record type {t}"),
        };
        if (!r.AtEnd) throw new InvalidDataException("journal record has trailing bytes");
        return record;
    }

    private static ContentByRanges DecodeContentByRanges(ref PayloadReader r)
    {
        var time = r.Time();
        ulong session = r.U64(), rangeSession = r.U64();
        uint count = r.U32();
        if (count > 4096) throw new InvalidDataException($"ContentByRanges names {count} filesystems");
        var fsIds = new List<ulong>((int)count);
        for (int i = 0; i < count; i++) fsIds.Add(r.U64());
        return new ContentByRanges(time, session, rangeSession, fsIds);
    }

    private static ChangeEntry DecodeChange(ref PayloadReader r)
    {
        var kind = (ChangeKind)r.U8();
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"unknown change kind {(byte)kind}");
        bool isDir = r.U8() != 0;
        var path = r.Bytes();
        var to = r.Bytes();
        return new ChangeEntry(new ChangeRecord(kind, path, isDir, to.Length == 0 ? null : to));
    }

    private static TrackerStarted DecodeStarted(ref PayloadReader r)
    {
        var time = r.Time();
        ulong session = r.U64();
        uint count = r.U32();
        var sources = new List<string>();
        for (uint i = 0; i < count; i++) sources.Add(Encoding.UTF8.GetString(r.Bytes()));
        return new TrackerStarted(time, session, sources);
    }

    private static void EncodeWatched(PayloadWriter w, IReadOnlyList<WatchedSource> sources)
    {
        w.U32((uint)sources.Count);
        foreach (var s in sources)
            w.Bytes(Encoding.UTF8.GetBytes(s.Path)).Bytes(Encoding.ASCII.GetBytes(s.Fingerprint)).U64(s.Device).U64(s.Inode).U64(s.FsId);
    }

    private static List<WatchedSource> DecodeWatched(ref PayloadReader r)
    {
        uint count = r.U32();
        var sources = new List<WatchedSource>();
        for (uint i = 0; i < count; i++)
            sources.Add(new WatchedSource(Encoding.UTF8.GetString(r.Bytes()), Encoding.ASCII.GetString(r.Bytes()), r.U64(), r.U64(), r.U64()));
        return sources;
    }

    private static LogImported DecodeImported(ref PayloadReader r)
    {
        var time = r.Time();
        ulong run = r.U64();
        bool finished = r.U8() != 0, complete = r.U8() != 0;
        uint count = r.U32();
        var files = new List<string>();
        for (uint i = 0; i < count; i++) files.Add(Encoding.UTF8.GetString(r.Bytes()));
        return new LogImported(time, run, finished, complete, files, DecodeWatched(ref r));
    }

    private static IncompleteMarker DecodeIncomplete(ref PayloadReader r)
    {
        var time = r.Time();
        var source = Encoding.UTF8.GetString(r.Bytes());
        var reason = Encoding.UTF8.GetString(r.Bytes());
        return new IncompleteMarker(time, source.Length == 0 ? null : source, reason);
    }

    private sealed class PayloadWriter
    {
        private readonly List<byte> _bytes = [];
        private readonly byte[] _scratch = new byte[8];

        public PayloadWriter U8(byte v) { _bytes.Add(v); return this; }
        public PayloadWriter U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(_scratch, v); _bytes.AddRange(_scratch.AsSpan(0, 4)); return this; }
        public PayloadWriter U64(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(_scratch, v); _bytes.AddRange(_scratch); return this; }
        public PayloadWriter I64(long v) => U64((ulong)v);
        public PayloadWriter Bytes(ReadOnlySpan<byte> v) { U32((uint)v.Length); _bytes.AddRange(v); return this; }
        public byte[] ToArray() => [.. _bytes];
    }

    private ref struct PayloadReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly bool AtEnd => _data.IsEmpty;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > _data.Length) throw new InvalidDataException("journal record is truncated");
            var taken = _data[..n];
            _data = _data[n..];
            return taken;
        }

        public byte U8() => Take(1)[0];
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public long I64() => (long)U64();
        public DateTimeOffset Time() => DateTimeOffset.FromUnixTimeMilliseconds(I64());
        public byte[] Bytes() => Take((int)Math.Min(U32(), int.MaxValue)).ToArray();
    }
}
