// A bounded least-recently-used cache of decoded blocks keyed by score (directories, pointer blocks, data blocks),
// safe for many threads. Bounded by a count, or by bytes as a size function estimates them, so a long-running
// reader (the mount daemon) holds a fixed amount however large the directories and blocks it meets.
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public sealed class BlockCache<T> where T : class
{
    private readonly Dictionary<Score, LinkedListNode<Entry>> _map = new();
    private readonly LinkedList<Entry> _lru = new();
    private readonly object _lock = new();
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private readonly Func<T, long>? _sizeOf;
    private readonly Action<T>? _dropped;
    private long _bytes;

    private readonly record struct Entry(Score Key, T Value, long Size);

    /// <summary>Keeps at most `capacity` entries, whatever their size.</summary>
    public BlockCache(int capacity) : this(capacity, long.MaxValue, null) { }

    private BlockCache(int maxCount, long maxBytes, Func<T, long>? sizeOf, Action<T>? dropped = null)
    {
        _maxCount = maxCount;
        _maxBytes = maxBytes;
        _sizeOf = sizeOf;
        _dropped = dropped;
    }

    /// <summary>
    /// Keeps entries while their sizes add up to at most maxBytes; the newest entry stays even when it alone is larger.
    /// `dropped` is called (outside the cache's lock) for each value the cache lets go: evicted, or not added because
    /// the key was already there.
    /// </summary>
    public static BlockCache<T> BoundedByBytes(long maxBytes, Func<T, long> sizeOf, Action<T>? dropped = null) =>
        new(int.MaxValue, maxBytes, sizeOf, dropped);

    public int Count { get { lock (_lock) return _map.Count; } }

    /// <summary>The estimated bytes held (0 for a cache bounded by count).</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    public bool TryGet(in Score key, out T value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                if (node != _lru.First) { _lru.Remove(node); _lru.AddFirst(node); }
                value = node.Value.Value;
                return true;
            }
        }
        value = null!;
        return false;
    }

    public void Add(in Score key, T value)
    {
        long size = _sizeOf?.Invoke(value) ?? 0;
        List<T>? dropped = null;
        lock (_lock)
        {
            if (_map.ContainsKey(key)) { (dropped ??= []).Add(value); }
            else
            {
                _map[key] = _lru.AddFirst(new Entry(key, value, size));
                _bytes += size;
                while (_map.Count > 1 && (_map.Count > _maxCount || _bytes > _maxBytes))
                {
                    var last = _lru.Last!;
                    _lru.RemoveLast();
                    _map.Remove(last.Value.Key);
                    _bytes -= last.Value.Size;
                    if (_dropped is not null) (dropped ??= []).Add(last.Value.Value);
                }
            }
        }
        if (dropped is not null && _dropped is not null) foreach (var d in dropped) _dropped(d);
    }
}
