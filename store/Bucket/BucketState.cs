// What this host's local store knows of the bucket (STORE/bucket.state, docs/format.md §15): how far its own arenas,
// index and snapshot records are in the bucket, which index segments it has taken in, and the newest garbage
// collection it has heeded. Rewritten atomically after each step, so a crash repeats at most one step.
using System.Globalization;

namespace TimeTravel.Store.Bucket;

public sealed class BucketState
{
    private const string Signature = "timetravel-bucket-state 1";

    /// <summary>This host's appended arenas up to this number are in the bucket with their index segment; -1: none.</summary>
    public long PublishedThrough { get; set; } = -1;
    /// <summary>This host's snapshots up to this catalog id have their record in the bucket.</summary>
    public long PublishedSnapshots { get; set; }
    /// <summary>The newest gc generation whose condemned arenas this host no longer deduplicates against.</summary>
    public long GcSeen { get; set; }
    /// <summary>Arenas garbage collection condemned or deleted, as last read from the bucket (BlockIndex.Excluded).</summary>
    public HashSet<uint> Excluded { get; } = [];
    /// <summary>A snapshot was withdrawn (it reused blocks a gc deleted meanwhile): the next one walks every source.</summary>
    public bool MustWalk { get; set; }
    /// <summary>Index segments taken into the local index: per host, the arena ranges they covered.</summary>
    public List<(string Host, uint First, uint Last)> Imported { get; } = [];

    /// <summary>Are all the arenas first..last inside ranges already taken in for this host? (A merged segment
    /// covers exactly a union of smaller ones.)</summary>
    public bool Covers(string host, uint first, uint last)
    {
        long next = first; // the first arena not yet known covered
        foreach (var (_, f, l) in Imported.Where(i => i.Host == host).OrderBy(i => i.First))
        {
            if (f > next) break;
            if (l >= next) next = (long)l + 1;
            if (next > last) return true;
        }
        return next > last;
    }

    public static string PathOf(StoreLayout layout) => Path.Combine(layout.Root, "bucket.state");

    public static BucketState Load(StoreLayout layout)
    {
        var state = new BucketState();
        string path = PathOf(layout);
        if (!File.Exists(path)) return state;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Signature) throw new StoreFormatException(path, "not a bucket state file (damaged or foreign)");
        foreach (var line in lines.Skip(1))
        {
            var p = line.Split(' ');
            switch (p)
            {
                case ["published-through", var v] when long.TryParse(v, out long n): state.PublishedThrough = n; break;
                case ["published-snapshots", var v] when long.TryParse(v, out long n): state.PublishedSnapshots = n; break;
                case ["gc-seen", var v] when long.TryParse(v, out long n): state.GcSeen = n; break;
                case ["must-walk", var v]: state.MustWalk = v == "yes"; break;
                case ["excluded", var v] when uint.TryParse(v, NumberStyles.AllowHexSpecifier, null, out uint a): state.Excluded.Add(a); break;
                case ["imported", var h, var f, var l] when uint.TryParse(f, NumberStyles.AllowHexSpecifier, null, out uint first)
                                                         && uint.TryParse(l, NumberStyles.AllowHexSpecifier, null, out uint last):
                    state.Imported.Add((h, first, last)); break;
                case [""]: break;
                default: throw new StoreFormatException(path, $"malformed line '{line}'");
            }
        }
        return state;
    }

    public void Save(StoreLayout layout)
    {
        var w = new System.Text.StringBuilder();
        w.Append(Signature).Append('\n');
        w.Append(CultureInfo.InvariantCulture, $"published-through {PublishedThrough}\npublished-snapshots {PublishedSnapshots}\ngc-seen {GcSeen}\n");
        if (MustWalk) w.Append("must-walk yes\n");
        foreach (uint a in Excluded.Order()) w.Append(CultureInfo.InvariantCulture, $"excluded {a:x8}\n");
        foreach (var (h, f, l) in Imported) w.Append(CultureInfo.InvariantCulture, $"imported {h} {f:x8} {l:x8}\n");
        StoreFiles.WriteAtomically(PathOf(layout), w.ToString());
    }
}
