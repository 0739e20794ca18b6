// A small bounded cache of decoded blocks keyed by score (decoded pointer blocks, directories), safe for many threads.
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Trees;

public sealed class BlockCache<T>(int capacity) where T : class
{
    private readonly Dictionary<Score, LinkedListNode<(Score Key, T Value)>> _map = new();
    private readonly LinkedList<(Score Key, T Value)> _lru = new();
    private readonly object _lock = new();

    public bool TryGet(in Score key, out T value)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _lru.Remove(node); _lru.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = null!;
        return false;
    }

    public void Add(in Score key, T value)
    {
        lock (_lock)
        {
            if (_map.ContainsKey(key)) return;
            _map[key] = _lru.AddFirst((key, value));
            if (_map.Count > capacity) { var last = _lru.Last!; _lru.RemoveLast(); _map.Remove(last.Value.Key); }
        }
    }
}
