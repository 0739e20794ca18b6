// Which arenas a collection rewrites. A candidate is a sealed appended arena (below the watermark arena of the index
// read at the start: the writer's current arena never is one) or a compacted arena. An arena whose live bytes are
// below the threshold fraction of its record bytes is a victim: its live records are copied into compacted arenas and
// the arena is deleted (one with no live record is simply deleted). Victims are taken most-garbage-first while their
// live bytes fit in the free space, so a nearly full disk still gets back what it can, and the next gc goes on.
namespace TimeTravel.Store.Collection;

/// <summary>One candidate arena: its record bytes (the file less its header), and the bytes and count of live records.</summary>
public sealed record ArenaUsage(uint Arena, long TotalBytes, long LiveBytes, long LiveBlocks)
{
    public long GarbageBytes => TotalBytes - LiveBytes;
    public double LiveFraction => TotalBytes == 0 ? 1 : (double)LiveBytes / TotalBytes;
}

public sealed record CollectionPlan(double Threshold, IReadOnlyList<ArenaUsage> Candidates, IReadOnlyList<ArenaUsage> Victims,
    IReadOnlyList<ArenaUsage> Deferred)
{
    public const double DefaultThreshold = 0.80;

    /// <summary>Bytes no kept snapshot uses, in all candidates (what a threshold of 100% would free).</summary>
    public long GarbageBytes => Candidates.Sum(c => c.GarbageBytes);
    /// <summary>What this plan frees: the garbage of its victims (their files go; their live bytes move).</summary>
    public long FreedBytes => Victims.Sum(v => v.GarbageBytes);
    /// <summary>Bytes to copy: the live records of the victims.</summary>
    public long CopyBytes => Victims.Sum(v => v.LiveBytes);

    /// <summary>
    /// The victims among the candidates for a threshold (0 to 1). With <paramref name="spaceForCopies"/>, victims are
    /// chosen lowest live fraction first while their live bytes fit in it; the others are deferred to a later gc.
    /// </summary>
    public static CollectionPlan Make(IEnumerable<ArenaUsage> candidates, double threshold, long spaceForCopies = long.MaxValue)
    {
        if (threshold is < 0 or > 1 || double.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), "the threshold is a fraction from 0 to 1");
        var all = candidates.OrderBy(c => c.Arena).ToList();
        var wanted = all.Where(c => c.LiveBytes == 0 ? c.TotalBytes > 0 : c.LiveBytes < threshold * c.TotalBytes).ToList();
        var victims = new List<ArenaUsage>();
        var deferred = new List<ArenaUsage>();
        long room = spaceForCopies;
        foreach (var c in wanted.OrderBy(c => c.LiveFraction).ThenBy(c => c.Arena))
        {
            if (c.LiveBytes <= room) { victims.Add(c); room -= c.LiveBytes; }
            else deferred.Add(c);
        }
        return new CollectionPlan(threshold, all, victims.OrderBy(v => v.Arena).ToList(), deferred.OrderBy(v => v.Arena).ToList());
    }
}
