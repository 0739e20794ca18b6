// A garbage collection's list of arenas in the bucket (gc/G.condemned or gc/G.deleted): a first line with the time
// it was written, then one arena number (hex) per line (docs/format.md §15).
using System.Globalization;
using System.Text;

namespace TimeTravel.Store.Bucket;

public sealed record GcRecord(long Generation, bool Deleted, DateTimeOffset Time, IReadOnlyList<uint> Arenas)
{
    private const string Signature = "timetravel-gc 1";

    public byte[] Encode()
    {
        var w = new StringBuilder();
        w.Append(CultureInfo.InvariantCulture, $"{Signature} {(Deleted ? "deleted" : "condemned")} {Time.ToUnixTimeSeconds()}\n");
        foreach (uint a in Arenas) w.Append(CultureInfo.InvariantCulture, $"{a:x8}\n");
        return Encoding.ASCII.GetBytes(w.ToString());
    }

    public static GcRecord Decode(string key, byte[] bytes, string where)
    {
        if (!BucketKeys.TryParseGc(key, out long generation, out bool deleted)) throw new StoreFormatException(where, "not a gc record key");
        var lines = Encoding.ASCII.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = lines.Length > 0 ? lines[0].Split(' ') : [];
        if (head.Length != 4 || $"{head[0]} {head[1]}" != Signature || !long.TryParse(head[3], out long time))
            throw new StoreFormatException(where, "not a gc record (damaged or foreign object)");
        var arenas = new List<uint>();
        foreach (var line in lines.Skip(1))
        {
            if (!uint.TryParse(line, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint a))
                throw new StoreFormatException(where, $"malformed arena number '{line}'");
            arenas.Add(a);
        }
        return new GcRecord(generation, deleted, DateTimeOffset.FromUnixTimeSeconds(time), arenas);
    }

    /// <summary>Every gc record in the bucket: one LIST, a GET each (they are few: a later gc removes condemned lists it settled).</summary>
    public static List<GcRecord> ReadAll(Objects.IObjectStore objects) =>
        objects.List(BucketKeys.GcPrefix).Where(o => BucketKeys.TryParseGc(o.Key, out _, out _))
            .Select(o => Decode(o.Key, objects.Get(o.Key), $"{objects.Location}/{o.Key}")).ToList();
}
