// Pack and unpack of catalog records (block type 3), the only code that knows their bytes; docs/format.md §8.3
// describes them byte by byte. A fixed 32-byte head (magic, version, kind, sequence, nonce), then a body of varints and
// length-prefixed strings per kind. The decoder checks every length and that it consumed exactly the block.
using System.Buffers.Binary;
using System.Text;
using TimeTravel.Store.Posix;
using TimeTravel.Store.Scores;
using TimeTravel.Store.Trees;

namespace TimeTravel.Store.Catalog.Records;

public static class CatalogRecordCodec
{
    /// <summary>
    /// Written: 4 (snapshot records end with their host; 3 with their note and pre id; 2 with how the files were read).
    /// Read: 1 to 4.
    /// </summary>
    public const byte Version = 4;
    public const byte FirstVersion = 1;
    public const int NonceSize = 16;

    public static ReadOnlySpan<byte> Magic => "TTCR"u8; // 0-3
    public const int C_VERSION = 4;   // 4      u8 record encoding version (1)
    public const int C_KIND = 5;      // 5      u8 kind: 1 snapshot, 2 forget, 3 pin, 4 settings
    public const int C_RESERVED = 6;  // 6-7    zero
    public const int C_SEQUENCE = 8;  // 8-15   u64 sequence number
    public const int C_NONCE = 16;    // 16-31  random nonce
    public const int HeadSize = 32;   // 32-    body

    /// <summary>A record with a fresh random nonce, ready to encode.</summary>
    public static T WithNonce<T>(T record) where T : CatalogRecord
    {
        var nonce = new byte[NonceSize];
        System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
        return record with { Nonce = nonce };
    }

    public static byte[] Encode(CatalogRecord r)
    {
        if (r.Nonce.Length != NonceSize) throw new ArgumentException($"a catalog record's nonce is {NonceSize} bytes");
        if (r.Sequence < 0) throw new ArgumentException("a catalog record's sequence number is never negative");
        var o = new List<byte>(256);
        o.AddRange(Magic);
        o.Add(Version);
        o.Add((byte)r.Kind);
        o.Add(0); o.Add(0);
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(seq, (ulong)r.Sequence);
        o.AddRange(seq);
        o.AddRange(r.Nonce);
        switch (r)
        {
            case SnapshotCommitted s: WriteSnapshot(o, s.Snapshot); break;
            case SnapshotsForgotten f:
                WriteTime(o, f.Time);
                Varint.Write(o, (ulong)f.Snapshots.Count);
                foreach (var x in f.Snapshots) { WriteId(o, x.Id); o.AddRange(x.Record.ToBytes()); }
                break;
            case PinChanged p:
                WriteId(o, p.SnapshotId);
                o.AddRange(p.SnapshotRecord.ToBytes());
                WriteTime(o, p.Time);
                o.Add(p.Pin is null ? (byte)0 : (byte)1);
                if (p.Pin is not null) WriteOptional(o, p.Pin.Note);
                break;
            case SettingsRecorded st:
                Varint.Write(o, (ulong)st.Sources.Count);
                foreach (var src in st.Sources)
                {
                    WriteString(o, src.Path);
                    Varint.Write(o, (ulong)src.Excludes.Count);
                    foreach (var e in src.Excludes) WriteString(o, e);
                }
                Varint.Write(o, (ulong)st.Settings.Count);
                foreach (var (k, v) in st.Settings) { WriteString(o, k); WriteString(o, v); }
                break;
            default: throw new ArgumentException($"no encoding for {r.GetType().Name}");
        }
        return o.ToArray();
    }

    /// <summary>Decodes a record; InvalidDataException naming `where` (the block) when it is damaged, cut short or of a kind or version this timetravel does not know.</summary>
    public static CatalogRecord Decode(ReadOnlySpan<byte> b, string where)
    {
        try { return DecodeUnchecked(b); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OverflowException or IndexOutOfRangeException or DecoderFallbackException)
        {
            throw new InvalidDataException($"catalog record {where} is damaged: {e.Message}", e);
        }
    }

    private static CatalogRecord DecodeUnchecked(ReadOnlySpan<byte> b)
    {
        if (b.Length < HeadSize) throw new InvalidDataException($"{b.Length} bytes, shorter than the {HeadSize}-byte head");
        if (!b[..4].SequenceEqual(Magic)) throw new InvalidDataException("no TTCR magic");
        byte version = b[C_VERSION];
        if (version < FirstVersion || version > Version)
            throw new InvalidDataException($"unknown record version {version} (this timetravel reads {FirstVersion} to {Version})");
        if (b[C_RESERVED] != 0 || b[C_RESERVED + 1] != 0) throw new InvalidDataException("reserved bytes are not zero");
        ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(b[C_SEQUENCE..]);
        if (sequence > long.MaxValue) throw new InvalidDataException($"sequence number {sequence} out of range");
        var nonce = b.Slice(C_NONCE, NonceSize).ToArray();
        int pos = HeadSize;
        CatalogRecord r = (CatalogRecordKind)b[C_KIND] switch
        {
            CatalogRecordKind.Snapshot => new SnapshotCommitted(ReadSnapshot(b, ref pos, version)),
            CatalogRecordKind.Forget => ReadForget(b, ref pos),
            CatalogRecordKind.Pin => ReadPin(b, ref pos),
            CatalogRecordKind.Settings => ReadSettings(b, ref pos),
            var k => throw new InvalidDataException($"unknown record kind {(byte)k}"),
        };
        if (pos != b.Length) throw new InvalidDataException($"{b.Length - pos} bytes follow the record's end");
        return r with { Sequence = (long)sequence, Nonce = nonce };
    }

    private static SnapshotsForgotten ReadForget(ReadOnlySpan<byte> b, ref int pos)
    {
        var time = ReadTime(b, ref pos);
        int count = Count(b, ref pos, Score.Size + 1);
        var list = new List<ForgottenSnapshot>(count);
        for (int i = 0; i < count; i++) list.Add(new ForgottenSnapshot(ReadId(b, ref pos), ReadScore(b, ref pos)));
        return new SnapshotsForgotten(time, list);
    }

    private static PinChanged ReadPin(ReadOnlySpan<byte> b, ref int pos)
    {
        long id = ReadId(b, ref pos);
        var score = ReadScore(b, ref pos);
        var time = ReadTime(b, ref pos);
        bool pinned = ReadBool(b, ref pos, "pinned");
        return new PinChanged(id, score, time, pinned ? new PinInfo(time, ReadOptional(b, ref pos)) : null);
    }

    private static SettingsRecorded ReadSettings(ReadOnlySpan<byte> b, ref int pos)
    {
        int sources = Count(b, ref pos, 2);
        var list = new List<SourceRecord>(sources);
        for (int i = 0; i < sources; i++)
        {
            string path = ReadString(b, ref pos);
            int excludes = Count(b, ref pos, 1);
            var ex = new List<string>(excludes);
            for (int j = 0; j < excludes; j++) ex.Add(ReadString(b, ref pos));
            list.Add(new SourceRecord(path, ex));
        }
        int settings = Count(b, ref pos, 2);
        var kv = new List<KeyValuePair<string, string>>(settings);
        for (int i = 0; i < settings; i++) kv.Add(KeyValuePair.Create(ReadString(b, ref pos), ReadString(b, ref pos)));
        return new SettingsRecorded(list, kv);
    }

    private static void WriteSnapshot(List<byte> o, SnapshotRecord s)
    {
        WriteId(o, s.Id);
        WriteString(o, s.Name);
        WriteTime(o, s.Time);
        Varint.Write(o, (ulong)s.Sources.Count);
        foreach (var src in s.Sources) WriteString(o, src);
        WriteRoot(o, s.Root);
        var st = s.Stats;
        foreach (long v in new[] { st.Files, st.Directories, st.LogicalBytes, st.VisitedFiles, st.VisitedDirectories, st.BytesRead,
                     st.NewBlocks, st.NewBytes, st.StoredBytes, st.DurationMs, st.Errors })
            Varint.WriteSigned(o, v);
        o.Add(st.TotalsCounted ? (byte)1 : (byte)0);
        o.Add(s.Complete ? (byte)1 : (byte)0);
        WriteString(o, s.Method);
        WriteOptional(o, s.MethodReason);
        WriteStream(o, s.ChangedPaths);
        Varint.WriteSigned(o, s.ChangedCount);
        Varint.WriteSigned(o, s.ChangedSince);
        Varint.WriteSigned(o, s.JournalCut);
        WriteOptional(o, s.JournalId);
        o.Add(s.Pin is null ? (byte)0 : (byte)1);
        if (s.Pin is not null) { WriteTime(o, s.Pin.Time); WriteOptional(o, s.Pin.Note); }
        // Version 2: how the files' content was got (absent from version 1 records, which read as "not counted", -1).
        foreach (long v in new[] { st.WholeFiles, st.WholeBytes, st.RangeFiles, st.RangeFileBytes, st.RangeBytesRead, st.ReusedFiles })
            Varint.WriteSigned(o, v);
        // Version 3: the snapshot's note and the id of the pre checkpoint it pairs with (version 1 and 2: none, 0).
        WriteOptional(o, s.Note);
        if (s.PreId < 0) throw new ArgumentException($"pre snapshot id {s.PreId}: ids start at 1 (0: none)");
        Varint.Write(o, (ulong)s.PreId);
        // Version 4: the host the snapshot was taken on; absent (null) for the store's own host (versions 1 to 3: always).
        if (s.Host is not null && Naming.HostNames.Problem(s.Host) is { } problem) throw new ArgumentException($"host '{s.Host}': {problem}");
        WriteOptional(o, s.Host);
    }

    private static SnapshotRecord ReadSnapshot(ReadOnlySpan<byte> b, ref int pos, byte version)
    {
        long id = ReadId(b, ref pos);
        string name = ReadString(b, ref pos);
        var time = ReadTime(b, ref pos);
        int sourceCount = Count(b, ref pos, 1);
        var sources = new List<string>(sourceCount);
        for (int i = 0; i < sourceCount; i++) sources.Add(ReadString(b, ref pos));
        var root = ReadRoot(b, ref pos);
        var v = new long[11];
        for (int i = 0; i < v.Length; i++) v[i] = Varint.ReadSigned(b, ref pos);
        var stats = new SnapshotStats
        {
            Files = v[0], Directories = v[1], LogicalBytes = v[2], VisitedFiles = v[3], VisitedDirectories = v[4], BytesRead = v[5],
            NewBlocks = v[6], NewBytes = v[7], StoredBytes = v[8], DurationMs = v[9], Errors = v[10],
            TotalsCounted = ReadBool(b, ref pos, "totals counted"),
        };
        bool complete = ReadBool(b, ref pos, "complete");
        string method = ReadString(b, ref pos);
        string? reason = ReadOptional(b, ref pos);
        var changed = ReadStream(b, ref pos);
        long changedCount = Varint.ReadSigned(b, ref pos), changedSince = Varint.ReadSigned(b, ref pos), cut = Varint.ReadSigned(b, ref pos);
        string? journalId = ReadOptional(b, ref pos);
        PinInfo? pin = ReadBool(b, ref pos, "pinned") ? new PinInfo(ReadTime(b, ref pos), ReadOptional(b, ref pos)) : null;
        if (version >= 2)
        {
            var r = new long[6];
            for (int i = 0; i < r.Length; i++) r[i] = Varint.ReadSigned(b, ref pos);
            stats = stats with { WholeFiles = r[0], WholeBytes = r[1], RangeFiles = r[2], RangeFileBytes = r[3], RangeBytesRead = r[4], ReusedFiles = r[5] };
        }
        string? note = null;
        long preId = 0;
        if (version >= 3)
        {
            note = ReadOptional(b, ref pos);
            ulong pre = Varint.Read(b, ref pos);
            if (pre > long.MaxValue) throw new InvalidDataException($"pre snapshot id {pre} out of range");
            preId = (long)pre;
        }
        string? host = null;
        if (version >= 4 && ReadOptional(b, ref pos) is { } h)
        {
            if (Naming.HostNames.Problem(h) is { } problem) throw new InvalidDataException($"host '{h}': {problem}");
            host = h;
        }
        return new SnapshotRecord
        {
            Id = id, Name = name, Time = time, Sources = sources, Root = root, Stats = stats, Complete = complete, Method = method,
            MethodReason = reason, ChangedPaths = changed, ChangedCount = changedCount, ChangedSince = changedSince,
            JournalCut = cut, JournalId = journalId, Pin = pin, Note = note, PreId = preId, Host = host,
        };
    }

    // The root directory "/" has no directory entry: its whole node is here, xattrs (ACLs) included.
    private static void WriteRoot(List<byte> o, Node n)
    {
        Varint.Write(o, n.Mode); Varint.Write(o, n.Uid); Varint.Write(o, n.Gid);
        Varint.WriteSigned(o, n.Size); Varint.WriteSigned(o, n.Blocks);
        Varint.WriteSigned(o, n.MTimeNs); Varint.WriteSigned(o, n.CTimeNs);
        Varint.Write(o, n.NLink);
        o.Add((byte)n.Flags);
        WriteStream(o, n.Content);
        Varint.Write(o, (ulong)n.Xattrs.Count);
        foreach (var (k, v) in n.Xattrs) { WriteBytes(o, k); WriteBytes(o, v); }
    }

    private static Node ReadRoot(ReadOnlySpan<byte> b, ref int pos)
    {
        var n = new Node
        {
            Name = "/"u8.ToArray(), Kind = FileKind.Directory,
            Mode = checked((uint)Varint.Read(b, ref pos)), Uid = checked((uint)Varint.Read(b, ref pos)), Gid = checked((uint)Varint.Read(b, ref pos)),
            Size = Varint.ReadSigned(b, ref pos), Blocks = Varint.ReadSigned(b, ref pos),
            MTimeNs = Varint.ReadSigned(b, ref pos), CTimeNs = Varint.ReadSigned(b, ref pos),
            NLink = Varint.Read(b, ref pos),
        };
        byte flags = Byte(b, ref pos);
        if (flags > (byte)(NodeFlags.Unstable | NodeFlags.Unreadable)) throw new InvalidDataException($"unknown root flags {flags}");
        n.Flags = (NodeFlags)flags;
        n.Content = ReadStream(b, ref pos);
        int xattrs = Count(b, ref pos, 2);
        for (int i = 0; i < xattrs; i++) n.Xattrs.Add(KeyValuePair.Create(ReadBytes(b, ref pos), ReadBytes(b, ref pos)));
        return n;
    }

    // A stream: its root score (32 bytes), the pointer depth (u8), its length (varint).
    private static void WriteStream(List<byte> o, StreamRef r) { o.AddRange(r.Root.ToBytes()); o.Add(r.Depth); Varint.Write(o, (ulong)r.Length); }

    private static StreamRef ReadStream(ReadOnlySpan<byte> b, ref int pos)
    {
        var score = ReadScore(b, ref pos);
        byte depth = Byte(b, ref pos);
        return new StreamRef(score, depth, checked((long)Varint.Read(b, ref pos)));
    }

    // A time: nanoseconds since the Unix epoch (UTC) and the offset in minutes, both zigzag varints.
    private static void WriteTime(List<byte> o, DateTimeOffset t)
    {
        Varint.WriteSigned(o, (t.UtcDateTime.Ticks - DateTime.UnixEpoch.Ticks) * 100);
        Varint.WriteSigned(o, (long)t.Offset.TotalMinutes);
    }

    private static DateTimeOffset ReadTime(ReadOnlySpan<byte> b, ref int pos)
    {
        long ns = Varint.ReadSigned(b, ref pos);
        long offset = Varint.ReadSigned(b, ref pos);
        if (offset is < -14 * 60 or > 14 * 60) throw new InvalidDataException($"time offset {offset} minutes out of range");
        return new DateTimeOffset(DateTime.UnixEpoch.Ticks + ns / 100, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset));
    }

    private static void WriteId(List<byte> o, long id)
    {
        if (id <= 0) throw new ArgumentException($"snapshot id {id}: ids start at 1");
        Varint.Write(o, (ulong)id);
    }

    private static long ReadId(ReadOnlySpan<byte> b, ref int pos)
    {
        ulong id = Varint.Read(b, ref pos);
        if (id == 0 || id > long.MaxValue) throw new InvalidDataException($"snapshot id {id} out of range");
        return (long)id;
    }

    private static void WriteBytes(List<byte> o, ReadOnlySpan<byte> s) { Varint.Write(o, (ulong)s.Length); o.AddRange(s); }
    private static void WriteString(List<byte> o, string s) => WriteBytes(o, Encoding.UTF8.GetBytes(s));

    // An optional string: u8 0 (absent) or 1 followed by the string.
    private static void WriteOptional(List<byte> o, string? s)
    {
        o.Add(s is null ? (byte)0 : (byte)1);
        if (s is not null) WriteString(o, s);
    }

    private static byte[] ReadBytes(ReadOnlySpan<byte> b, ref int pos)
    {
        ulong len = Varint.Read(b, ref pos);
        if (len > (ulong)(b.Length - pos)) throw new InvalidDataException("a length runs past the end of the record (cut short?)");
        var r = b.Slice(pos, (int)len).ToArray();
        pos += (int)len;
        return r;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static string ReadString(ReadOnlySpan<byte> b, ref int pos) => StrictUtf8.GetString(ReadBytes(b, ref pos));
    private static string? ReadOptional(ReadOnlySpan<byte> b, ref int pos) => ReadBool(b, ref pos, "presence") ? ReadString(b, ref pos) : null;

    private static Score ReadScore(ReadOnlySpan<byte> b, ref int pos)
    {
        if (pos + Score.Size > b.Length) throw new InvalidDataException("a score runs past the end of the record (cut short?)");
        var s = Score.Read(b.Slice(pos, Score.Size));
        pos += Score.Size;
        return s;
    }

    private static byte Byte(ReadOnlySpan<byte> b, ref int pos)
    {
        if (pos >= b.Length) throw new InvalidDataException("the record ends early (cut short?)");
        return b[pos++];
    }

    private static bool ReadBool(ReadOnlySpan<byte> b, ref int pos, string what) => Byte(b, ref pos) switch
    {
        0 => false, 1 => true, var x => throw new InvalidDataException($"{what} flag is {x}, not 0 or 1"),
    };

    // A count of items each at least `minBytes` long: one that cannot fit in what is left is damage, not an allocation.
    private static int Count(ReadOnlySpan<byte> b, ref int pos, int minBytes)
    {
        ulong n = Varint.Read(b, ref pos);
        if (n > (ulong)((b.Length - pos) / minBytes)) throw new InvalidDataException($"a count of {n} items runs past the end of the record (cut short?)");
        return (int)n;
    }
}
