// A fixed array of bits: one per index entry of a segment, for the mark phase (3 of them per block in all).
namespace TimeTravel.Store.Collection;

public sealed class BitSet(long count)
{
    private readonly ulong[] _words = new ulong[(count + 63) / 64];

    public long Count { get; } = count;

    public bool Get(long i) => (_words[i >> 6] & (1UL << (int)(i & 63))) != 0;

    /// <summary>Sets the bit; true when it was clear.</summary>
    public bool Set(long i)
    {
        ulong bit = 1UL << (int)(i & 63);
        ref ulong w = ref _words[i >> 6];
        if ((w & bit) != 0) return false;
        w |= bit;
        return true;
    }

    public long Bytes => _words.Length * 8L;
}
