// The checksum a snapshot record carries in its `check` field: CRC-32 of a canonical encoding of every other field,
// so one changed digit anywhere in the record (its id, name, time, root, statistics) is found, whatever order LiteDB
// keeps the fields in. docs/format.md §8.2 gives the encoding byte by byte.
using System.Buffers.Binary;
using System.IO.Hashing;
using LiteDB;

namespace TimeTravel.Store.Catalog;

public static class RecordChecksum
{
    public const string Field = "check";

    /// <summary>The checksum of the document, its `check` field left out.</summary>
    public static long Of(BsonDocument doc)
    {
        var crc = new Crc32();
        Append(crc, doc, top: true);
        return crc.GetCurrentHashAsUInt32();
    }

    private static void Append(Crc32 crc, BsonValue v, bool top = false)
    {
        var n = new byte[8];
        void Tag(char t) => crc.Append([(byte)t]);
        void Length(int length) { BinaryPrimitives.WriteInt32LittleEndian(n, length); crc.Append(n.AsSpan(0, 4)); }
        void Bytes(ReadOnlySpan<byte> b) { Length(b.Length); crc.Append(b); }
        switch (v.Type)
        {
            case BsonType.Document:
                var keys = v.AsDocument.Keys.Where(k => !top || k != Field).OrderBy(k => k, StringComparer.Ordinal).ToList();
                Tag('D'); Length(keys.Count);
                foreach (var k in keys) { Bytes(System.Text.Encoding.UTF8.GetBytes(k)); Append(crc, v.AsDocument[k]); }
                break;
            case BsonType.Array:
                Tag('A'); Length(v.AsArray.Count);
                foreach (var item in v.AsArray) Append(crc, item);
                break;
            case BsonType.String: Tag('S'); Bytes(System.Text.Encoding.UTF8.GetBytes(v.AsString)); break;
            case BsonType.Binary: Tag('X'); Bytes(v.AsBinary); break;
            case BsonType.Int32: Tag('i'); BinaryPrimitives.WriteInt32LittleEndian(n, v.AsInt32); crc.Append(n.AsSpan(0, 4)); break;
            case BsonType.Int64: Tag('l'); BinaryPrimitives.WriteInt64LittleEndian(n, v.AsInt64); crc.Append(n); break;
            case BsonType.Boolean: Tag('b'); crc.Append([(byte)(v.AsBoolean ? 1 : 0)]); break;
            case BsonType.Null: Tag('n'); break;
            default: throw new InvalidDataException($"a snapshot record holds a {v.Type}, which no record is written with");
        }
    }
}
