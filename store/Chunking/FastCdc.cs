// FastCDC (Xia et al., 2016) with normalized chunking: a rolling gear hash cuts where its masked bits are zero,
// so boundaries depend on nearby content only and an insertion moves just the chunks around it.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TimeTravel.Store.Chunking;

public sealed class FastCdc
{
    private static readonly ulong[] Gear = MakeGear();
    private readonly int _min, _avg, _max;
    private readonly ulong _maskSmall, _maskLarge;

    public FastCdc(ChunkerParameters p)
    {
        if (p.MinSize <= 0 || p.MinSize > p.AverageSize || p.AverageSize > p.MaxSize || !BitOperations.IsPow2(p.AverageSize))
            throw new ArgumentException("chunker sizes must satisfy 0 < min <= avg <= max, avg a power of two");
        _min = p.MinSize; _avg = p.AverageSize; _max = p.MaxSize;
        int bits = BitOperations.Log2((uint)p.AverageSize);
        _maskSmall = SpreadMask(bits + 2); // harder to match before the average size
        _maskLarge = SpreadMask(bits - 2); // easier after it: sizes cluster around the average
    }

    public int MaxSize => _max;

    /// <summary>Length of the next chunk at the start of data; data.Length when no cut is found and data is all there is.</summary>
    public int NextCut(ReadOnlySpan<byte> data)
    {
        int n = data.Length;
        if (n <= _min) return n;
        if (n > _max) n = _max;
        int normal = Math.Min(_avg, n);
        ulong hash = 0;
        int i = _min;
        // The hot loop of a snapshot (every byte past the minimum goes through it): no bounds checks, since
        // i < n <= data.Length and a byte always indexes the 256 gear entries.
        ref byte d = ref MemoryMarshal.GetReference(data);
        ref ulong gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        for (; i < normal; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref d, i));
            if ((hash & _maskSmall) == 0) return i + 1;
        }
        for (; i < n; i++)
        {
            hash = (hash << 1) + Unsafe.Add(ref gear, Unsafe.Add(ref d, i));
            if ((hash & _maskLarge) == 0) return i + 1;
        }
        return n;
    }

    // A mask of `bits` ones spread over the upper 48 bits, as FastCDC recommends for even sensitivity.
    private static ulong SpreadMask(int bits)
    {
        ulong mask = 0;
        int step = Math.Max(1, 48 / bits);
        int pos = 63;
        for (int b = 0; b < bits && pos >= 0; b++, pos -= step) mask |= 1UL << pos;
        return mask;
    }

    // Fixed pseudo-random table (SplitMix64 from a constant seed): part of the format, never change it.
    private static ulong[] MakeGear()
    {
        var g = new ulong[256];
        ulong x = 0x54696D6554726176; // "TimeTrav"
        for (int i = 0; i < 256; i++)
        {
            x += 0x9E3779B97F4A7C15;
            ulong z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            g[i] = z ^ (z >> 31);
        }
        return g;
    }
}
