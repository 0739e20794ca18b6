// The mark bits of a garbage collection: for each entry of each index segment of the manifest read at its start (M0),
// three bits, indexed by the entry's position in its segment — live; expanded as a pointer block; expanded as a
// directory. A block's role comes from how it is reached, and equal bytes can play two roles (a file's only block may
// also be a directory's encoding), so being live does not mean its children were marked. Blocks committed after M0
// are few (what snapshots wrote during the mark) and kept in small sets of scores instead.
using TimeTravel.Store.Index;
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Collection;

public enum BlockRole : byte { Data, Pointer, Directory }

/// <summary>Where a block is in the marking: an M0 segment and position (Segment -1: committed after M0), and its entry.</summary>
public readonly record struct MarkSlot(int Segment, long Position, IndexEntry Entry)
{
    public bool InM0 => Segment >= 0;
}

public sealed class MarkSet
{
    private readonly IReadOnlyList<IndexSegment> _segments; // newest first, as lookups go
    private readonly BitSet[] _live, _pointer, _directory;
    private readonly bool[] _bloom;
    private readonly HashSet<Score> _laterLive = [], _laterPointer = [], _laterDirectory = [];

    /// <param name="segmentsNewestFirst">The segments of M0 in lookup order.</param>
    public MarkSet(IReadOnlyList<IndexSegment> segmentsNewestFirst)
    {
        _segments = segmentsNewestFirst;
        _live = _segments.Select(s => new BitSet(s.Count)).ToArray();
        _pointer = _segments.Select(s => new BitSet(s.Count)).ToArray();
        _directory = _segments.Select(s => new BitSet(s.Count)).ToArray();
        // Bloom filters spare a page read per segment a score is not in; the largest segment (most lookups end there)
        // is searched without one, which keeps gc's memory near the mark bits.
        long largest = _segments.Count == 0 ? 0 : _segments.Max(s => s.Count);
        _bloom = _segments.Select(s => s.Count != largest).ToArray();
    }

    public IReadOnlyList<IndexSegment> Segments => _segments;

    /// <summary>Finds a score in M0, newest segment first, as the index of M0 would.</summary>
    public bool TryLocate(in Score score, out MarkSlot slot)
    {
        for (int i = 0; i < _segments.Count; i++)
        {
            if (_bloom[i] && !_segments[i].MayContain(score)) continue;
            if (_segments[i].TryGet(score, out var entry, out long position)) { slot = new MarkSlot(i, position, entry); return true; }
        }
        slot = default;
        return false;
    }

    public bool IsLive(int segment, long position) => _live[segment].Get(position);

    public bool IsLive(in MarkSlot slot) => slot.InM0 ? _live[slot.Segment].Get(slot.Position) : _laterLive.Contains(slot.Entry.Score);

    /// <summary>Sets the block's live bit and its bit for the role: whether it just became live, and whether the role's
    /// bit was clear (the block must be expanded in that role).</summary>
    public (bool NewlyLive, bool Expand) Mark(in MarkSlot slot, BlockRole role)
    {
        if (!slot.InM0)
        {
            bool fresh = _laterLive.Add(slot.Entry.Score);
            return (fresh, role switch
            {
                BlockRole.Pointer => _laterPointer.Add(slot.Entry.Score),
                BlockRole.Directory => _laterDirectory.Add(slot.Entry.Score),
                _ => fresh,
            });
        }
        bool newlyLive = _live[slot.Segment].Set(slot.Position);
        return (newlyLive, role switch
        {
            BlockRole.Pointer => _pointer[slot.Segment].Set(slot.Position),
            BlockRole.Directory => _directory[slot.Segment].Set(slot.Position),
            _ => newlyLive,
        });
    }

    /// <summary>Memory held by the bits (and the sets of later blocks, roughly).</summary>
    public long Bytes => _live.Sum(b => b.Bytes) * 3 + (_laterLive.Count + _laterPointer.Count + _laterDirectory.Count) * 64L;

    /// <summary>Every M0 entry with whether it is live, segment by segment, in score order within each.</summary>
    public IEnumerable<(IndexEntry Entry, int Segment, long Position, bool Live)> Entries()
    {
        for (int i = 0; i < _segments.Count; i++)
        {
            long position = 0;
            foreach (var e in _segments[i].Entries()) { yield return (e, i, position, _live[i].Get(position)); position++; }
        }
    }
}
