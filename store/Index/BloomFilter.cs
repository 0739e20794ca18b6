// A Bloom filter over scores: a fast "certainly new" for blocks not yet stored, about 10 bits per block.
using TimeTravel.Store.Scores;

namespace TimeTravel.Store.Index;

public sealed class BloomFilter
{
    private readonly byte[] _bits;
    private readonly ulong _mask;
    private readonly int _hashes;

    public BloomFilter(byte[] bits, int hashes)
    {
        if (bits.Length == 0 || (bits.Length & (bits.Length - 1)) != 0) throw new ArgumentException("Bloom filter size must be a power of two");
        _bits = bits;
        _mask = (ulong)bits.Length * 8 - 1;
        _hashes = hashes;
    }

    public static BloomFilter ForCount(long count)
    {
        long bits = Math.Max(1024, count * IndexFormat.BloomBitsPerEntry);
        long bytes = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)(bits / 8));
        return new BloomFilter(new byte[bytes], IndexFormat.BloomHashes);
    }

    public byte[] Bits => _bits;
    public int Hashes => _hashes;

    // Scores are uniform, so double hashing over two of their words gives independent probes.
    private ulong Probe(in Score s, int i) => (s.Word(1) + (ulong)i * (s.Word(2) | 1)) & _mask;

    public void Add(in Score s)
    {
        for (int i = 0; i < _hashes; i++) { ulong b = Probe(s, i); _bits[b >> 3] |= (byte)(1 << (int)(b & 7)); }
    }

    public bool MayContain(in Score s)
    {
        for (int i = 0; i < _hashes; i++) { ulong b = Probe(s, i); if ((_bits[b >> 3] & (1 << (int)(b & 7))) == 0) return false; }
        return true;
    }
}
